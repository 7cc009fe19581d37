#!/usr/bin/env node
'use strict'
// node-xmlrpc (npm "xmlrpc") as a conformance client.
//
//   node suite/foreign-peers/node/client.js --url http://127.0.0.1:PORT/RPC2 [--case GLOB]...
//        [--fixtures DIR] [--timeout 10] [--max-lifetime 900]
//
// Every non-retired `call` / `multicall` case of the catalog, in catalog order, through
// xmlrpc.createClient({host, port, path}).methodCall(). stdout: JSON lines
// (suite/foreign-peers/README.md): start event, one {"case", "observation", "duration"
// [, "describe"][, "request", "response"]} line per case, summary event. Exit 0 whatever the
// observations, 2 on usage errors, 3 when --max-lifetime had to cut the run short.
const fs = require('fs')
const http = require('http')
const path = require('path')
const xmlrpc = require('xmlrpc')
const Serializer = require('xmlrpc/lib/serializer')
const { toModel, I8 } = require('./model')

function usage (msg) {
  process.stderr.write(`client.js: ${msg}\nusage: client.js --url URL [--case GLOB]... [--fixtures DIR] [--timeout 10] [--max-lifetime 900]\n`)
  process.exit(2)
}

const args = { url: null, cases: [], fixtures: null, timeout: 10, maxLifetime: 900 }
const argv = process.argv.slice(2)
for (let i = 0; i < argv.length; i++) {
  const v = argv[i + 1]
  if (v === undefined) usage(`${argv[i]} needs a value`)
  if (argv[i] === '--url') args.url = v
  else if (argv[i] === '--case') args.cases.push(v)
  else if (argv[i] === '--fixtures') args.fixtures = v
  else if (argv[i] === '--timeout') args.timeout = Number(v)
  else if (argv[i] === '--max-lifetime') args.maxLifetime = Number(v)
  else usage(`unknown argument ${argv[i]}`)
  i++
}
if (!args.url) usage('--url is required')
let url
try { url = new URL(args.url) } catch (e) { usage(`--url: ${e.message}`) }
if (url.protocol !== 'http:') usage('--url must be http:// (this peer uses createClient, not createSecureClient)')
if (!(args.timeout > 0) || !(args.maxLifetime >= 0)) usage('--timeout must be > 0, --max-lifetime >= 0')

function findFixtures () {
  const candidates = [args.fixtures, process.env.CONFORMANCE_FIXTURES, path.join(__dirname, '..', '..', '..', 'fixtures')]
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'case.schema.json'))) return path.resolve(c)
  if (args.fixtures) usage('--fixtures: no case.schema.json there')
  process.stderr.write('client.js: fixtures/ not found (set CONFORMANCE_FIXTURES)\n')
  process.exit(2)
}
const fixtures = findFixtures()

// fnmatch.fnmatchcase: * ? [seq] [!seq]
function globToRegExp (g) {
  let re = ''
  for (let i = 0; i < g.length; i++) {
    const ch = g[i]
    if (ch === '*') re += '.*'
    else if (ch === '?') re += '.'
    else if (ch === '[') {
      const j = g.indexOf(']', i + 2)
      if (j < 0) { re += '\\['; continue }
      let body = g.slice(i + 1, j)
      if (body[0] === '!') body = '^' + body.slice(1)
      re += '[' + body.replace(/\\/g, '\\\\') + ']'
      i = j
    } else re += ch.replace(/[.+^${}()|\\\]]/g, '\\$&')
  }
  return new RegExp('^' + re + '$', 's')
}
const globs = args.cases.map(globToRegExp)

function liveCases () {
  const dir = path.join(fixtures, 'cases')
  const out = []
  for (const f of fs.readdirSync(dir).filter(n => n.endsWith('.json')).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))
    for (const c of doc.cases) {
      if (c.retired || !(c.call || c.multicall)) continue
      if (globs.length && !globs.some(r => r.test(c.id))) continue
      out.push(c)
    }
  }
  return out
}

// catalog model -> the JavaScript value a node-xmlrpc user passes to methodCall
function fromModel (m) {
  const [tag, v] = Object.entries(m)[0]
  switch (tag) {
    case 'int': return typeof v === 'number' ? v : Number(v)   // one JS number type; big ints lose precision
    case 'i8': return new I8(String(v))                          // xmlrpc.CustomType, tag <i8>
    case 'boolean': return v
    case 'string': return v
    case 'double': return v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : Number(v)
    case 'dateTime.iso8601': // text -> the Date node-xmlrpc itself would decode it to
      return xmlrpc.dateFormatter.decodeIso8601(v)
    case 'datetime': { // a native date-time: a JS Date in local time (milliseconds kept, as JS has them)
      const [date, clock] = v.split('T')
      const [Y, M, D] = date.split('-').map(Number)
      const [hms, frac = ''] = clock.split('.')
      const [h, mi, s] = hms.split(':').map(Number)
      const d = new Date(2000, M - 1, D, h, mi, s, Number((frac + '000').slice(0, 3)))
      d.setFullYear(Y)
      return d
    }
    case 'base64': return Buffer.from(v, 'base64')
    case 'base64file': return fs.readFileSync(path.join(fixtures, v))
    case 'struct': { const o = {}; for (const [k, item] of v) o[k] = fromModel(item); return o }
    case 'array': return v.map(fromModel)
    case 'nil': return null
    default: { const e = new Error(`node-xmlrpc has no value for model type "${tag}"`); e.name = 'NoSuchType'; throw e }
  }
}

function errorModel (e) { return { type: (e && e.name) || typeof e, message: String((e && e.message) || e) } }

const XML_LIMIT = 16 * 1024
function cut (s) { return s.length <= XML_LIMIT ? s : s.slice(0, XML_LIMIT) }

// One methodCall. The request text is what node-xmlrpc's own serializer makes of the call (the
// same function methodCall uses); the response body comes from the library's enriched error or,
// on success, from an http 'response' listener (read-only).
function call (method, params, encoding) {
  return new Promise(resolve => {
    const options = { host: url.hostname, port: Number(url.port || 80), path: url.pathname || '/', agent: false }
    if (encoding) options.encoding = encoding
    const client = xmlrpc.createClient(options)
    const wire = {}
    try { wire.request = cut(Serializer.serializeMethodCall(method, params, options.encoding)) } catch (e) {}
    let done = false
    let sent = false
    const finish = (obs) => { if (!done) { done = true; clearTimeout(timer); resolve([obs, wire]) } }
    const timer = setTimeout(() => finish({ error: { type: 'timeout', message: `no answer within ${args.timeout} s` } }), args.timeout * 1000)
    const origRequest = http.request
    http.request = function (...a) { // count the request as sent once node's http has it
      const req = origRequest.apply(this, a)
      sent = true
      req.on('response', res => { const chunks = []; wire.status = res.statusCode; res.on('data', c => chunks.push(String(c))); res.on('end', () => { wire.response = cut(chunks.join('')) }) })
      return req
    }
    try {
      client.methodCall(method, params, (err, value) => {
        if (!err) return finish({ response: { result: toModel(value) } })
        if (err.faultCode !== undefined || err.faultString !== undefined) {
          return finish({ response: { fault: { code: err.faultCode, string: err.faultString } } })
        }
        const e = errorModel(err)
        if (err.res && err.res.statusCode) e.status = err.res.statusCode
        else if (wire.status) e.status = wire.status
        if (err.body !== undefined && wire.response === undefined) wire.response = cut(String(err.body))
        finish({ error: e })
      })
    } catch (e) {
      finish(sent ? { error: errorModel(e) } : { sendError: errorModel(e) })
    } finally {
      http.request = origRequest
    }
  })
}

function multicallResults (result) {
  const out = []
  for (const item of result.array || []) {
    const [tag, v] = Object.entries(item)[0]
    if (tag === 'array' && v.length === 1) out.push({ result: v[0] })
    else if (tag === 'struct') {
      const m = Object.fromEntries(v)
      out.push({ fault: { code: Object.values(m.faultCode)[0], string: Object.values(m.faultString)[0] } })
    } else out.push({ unexpected: item })
  }
  return out
}

function emit (o) { process.stdout.write(JSON.stringify(o).replace(/[\u007f-\uffff]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '\n') }

async function runCase (c) {
  const line = { case: c.id }
  let params
  if (c.multicall) {
    try {
      params = [c.multicall.map(m => ({ methodName: m.method, params: (m.params || []).map(fromModel) }))]
    } catch (e) { line.observation = { sendError: errorModel(e) }; return line }
    const [obs, wire] = await call('system.multicall', params)
    const r = (obs.response || {}).result
    if (r && r.array) { try { obs.response = { results: multicallResults(r) } } catch (e) {} }
    line.observation = obs
    Object.assign(line, pick(wire))
    return line
  }
  const spec = c.call
  try { params = (spec.params || []).map(fromModel) } catch (e) { line.observation = { sendError: errorModel(e) }; return line }
  const [obs, wire] = await call(spec.method, params, spec.encoding)
  const response = obs.response || {}
  if (response.result && (('resultType' in c.expect) || ((c.deviation || {}).expect || {}).resultType)) {
    response.resultType = Object.keys(response.result)[0]
  }
  if (spec.method === 'system.multicall' && response.result && response.result.array) {
    try { response.results = multicallResults(response.result) } catch (e) {}
  }
  line.observation = obs
  if (spec.method === 'echo' && params.length === 1 && response.result) {
    const [dObs] = await call('describe', params, spec.encoding)
    line.describe = dObs
  }
  Object.assign(line, pick(wire))
  return line
}
function pick (wire) { const o = {}; if (wire.request !== undefined) o.request = wire.request; if (wire.response !== undefined) o.response = wire.response; return o }

async function main () {
  const version = require('xmlrpc/package.json').version
  const cases = liveCases()
  const started = Date.now()
  if (args.maxLifetime > 0) {
    setTimeout(() => { process.stderr.write('client.js: --max-lifetime exceeded inside a case\n'); process.exit(3) },
      (args.maxLifetime + 4 * args.timeout + 5) * 1000).unref()
  }
  emit({ event: 'start', role: 'client', implementation: 'node-xmlrpc', version, build: `xmlrpc ${version} on node ${process.version}`, url: args.url, shapes: ['call', 'multicall'] })
  let total = 0
  for (const c of cases) {
    const t0 = Date.now()
    let line
    if (args.maxLifetime > 0 && (t0 - started) / 1000 > args.maxLifetime) line = { case: c.id, observation: { error: { type: 'notRun', message: '--max-lifetime reached' } } }
    else line = await runCase(c)
    line.duration = Math.round(Date.now() - t0) / 1000
    emit(line)
    total++
  }
  emit({ event: 'summary', total })
}
process.on('uncaughtException', e => { process.stderr.write(`client.js: uncaught ${e && e.stack}\n`) })
main().then(() => process.exit(0))
