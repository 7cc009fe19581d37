#!/usr/bin/env node
'use strict'
// node-xmlrpc (npm "xmlrpc") as a conformance server peer.
//
//   node suite/foreign-peers/node/server.js [--host 127.0.0.1] [--port 0] [--max-lifetime 900] [--fixtures DIR]
//
// xmlrpc.createServer with one listener per conformance method (python-peers/conformance.py
// service_functions). node-xmlrpc parses and writes all XML; it has no system.* methods and
// answers an unknown method with an empty HTTP 404 (its 'NotFound' event), so none are faked here.
// stdout: exactly one JSON line, the ready event. Everything else: stderr.
const fs = require('fs')
const net = require('net')
const path = require('path')
const xmlrpc = require('xmlrpc')
const { toModel, canonicalJson } = require('./model')

function usage (msg) {
  process.stderr.write(`server.js: ${msg}\nusage: server.js [--host 127.0.0.1] [--port 0] [--max-lifetime 900] [--fixtures DIR]\n`)
  process.exit(2)
}

const args = { host: '127.0.0.1', port: 0, maxLifetime: 900, fixtures: null }
const argv = process.argv.slice(2)
for (let i = 0; i < argv.length; i++) {
  const v = argv[i + 1]
  if (argv[i] === '--host' && v !== undefined) { args.host = v; i++ } else if (argv[i] === '--port' && v !== undefined) {
    args.port = Number(v); i++
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) usage('--port: 0..65535')
  } else if (argv[i] === '--max-lifetime' && v !== undefined) {
    args.maxLifetime = Number(v); i++
    if (!(args.maxLifetime >= 0)) usage('--max-lifetime must be >= 0')
  } else if (argv[i] === '--fixtures' && v !== undefined) { args.fixtures = v; i++ } else usage(`unknown argument ${argv[i]}`)
}
const loopback = args.host === 'localhost' || args.host === '::1' || (net.isIPv4(args.host) && args.host.startsWith('127.'))
if (!loopback) {
  process.stderr.write(`server.js: --host ${args.host} is not a loopback address; refused\n`)
  process.exit(2)
}
function findFixtures () {
  const candidates = [args.fixtures, process.env.CONFORMANCE_FIXTURES, path.join(__dirname, '..', '..', '..', 'fixtures'), '/fixtures']
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'case.schema.json'))) return path.resolve(c)
  if (args.fixtures) usage('--fixtures: no case.schema.json there')
  return null
}
const fixtures = findFixtures()

// A fault, the way node-xmlrpc serializes one: the callback's error object is written as the
// <fault> struct, so it must be exactly {faultCode, faultString}.
function fault (code, string) { return { faultCode: code, faultString: string } }

function arity (params, n) {
  if (params.length !== n) throw new TypeError(`expected ${n} parameter(s), got ${params.length}`)
}

const methods = {
  echo: p => { arity(p, 1); return p[0] },
  echo_params: p => p,
  describe: p => { arity(p, 1); return canonicalJson(toModel(p[0])) },
  'nested.echo': p => { arity(p, 1); return p[0] },
  fault: p => { arity(p, 2); throw fault(p[0], p[1]) },
  raise_error: p => { arity(p, 1); throw new Error(p[0]) },
  today: p => { arity(p, 0); return new Date() },
  python_logo: p => { arity(p, 0); return fs.readFileSync(path.join(fixtures || '', 'seed', 'python-logo.png')) },
  add: p => { arity(p, 2); return p[0] + p[1] },
  subtract: p => { arity(p, 2); return p[0] - p[1] },
  multiply: p => { arity(p, 2); return p[0] * p[1] },
  divide: p => {
    arity(p, 2)
    if (p[1] === 0) throw new Error('integer division or modulo by zero')
    return Math.floor(p[0] / p[1])
  },
  make_string: p => { arity(p, 1); return 'x'.repeat(Math.min(p[0], 16 * 1024 * 1024)) },
  'validator1.arrayOfStructsTest': p => { arity(p, 1); return p[0].reduce((s, x) => s + x.curly, 0) },
  'validator1.countTheEntities': p => {
    arity(p, 1)
    const count = ch => p[0].split(ch).length - 1
    return { ctLeftAngleBrackets: count('<'), ctRightAngleBrackets: count('>'), ctAmpersands: count('&'), ctApostrophes: count("'"), ctQuotes: count('"') }
  },
  'validator1.easyStructTest': p => { arity(p, 1); return p[0].moe + p[0].larry + p[0].curly },
  'validator1.echoStructTest': p => { arity(p, 1); return p[0] },
  'validator1.manyTypesTest': p => { arity(p, 6); return p },
  'validator1.moderateSizeArrayCheck': p => { arity(p, 1); return p[0][0] + p[0][p[0].length - 1] },
  'validator1.nestedStructTest': p => { arity(p, 1); const d = p[0]['2000']['04']['01']; return d.moe + d.larry + d.curly },
  'validator1.simpleStructReturnTest': p => { arity(p, 1); return { times10: p[0] * 10, times100: p[0] * 100, times1000: p[0] * 1000 } }
}
const slow = {
  sleep: (p, done) => {
    if (p.length !== 1) return done(new TypeError('expected 1 parameter(s)'))
    setTimeout(() => done(null, p[0]), Math.max(0, Math.min(Number(p[0]), 10)) * 1000)
  }
}

const version = require('xmlrpc/package.json').version
const server = xmlrpc.createServer({ host: args.host, port: args.port }, () => {
  const port = server.httpServer.address().port
  const host = args.host.includes(':') ? `[${args.host}]` : args.host
  process.stdout.write(JSON.stringify({
    event: 'ready', role: 'server', port, url: `http://${host}:${port}/RPC2`,
    implementation: 'node-xmlrpc', version, build: `xmlrpc ${version} on node ${process.version}`
  }).replace(/,"/g, ', "').replace(/":/g, '": ') + '\n')
})
for (const [name, fn] of Object.entries(methods)) {
  server.on(name, (err, params, callback) => {
    if (err) return callback(err)
    let value
    try {
      value = fn(params)
    } catch (e) {
      // fault() throws {faultCode, faultString}; anything else raised (raise_error, a division by
      // zero, a wrong parameter count, a TypeError of the method) is an Error object, handed to
      // node-xmlrpc's callback as it is: the library writes its own enumerable properties as the
      // <fault> struct (for an Error: none). That is measured, not patched.
      return callback(e)
    }
    callback(null, value)
  })
}
for (const [name, fn] of Object.entries(slow)) server.on(name, (err, params, callback) => fn(params, callback))
server.on('NotFound', method => process.stderr.write(`server.js: NotFound ${JSON.stringify(method)} (node-xmlrpc answers HTTP 404)\n`))
server.httpServer.on('clientError', (e, socket) => { socket.destroy() })

function stop () {
  server.httpServer.close()
  setTimeout(() => process.exit(0), 5000).unref()
  server.httpServer.closeAllConnections && server.httpServer.closeIdleConnections()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
if (args.maxLifetime > 0) setTimeout(() => { process.stderr.write('server.js: --max-lifetime reached\n'); stop(); setTimeout(() => process.exit(0), 5000) }, args.maxLifetime * 1000).unref()
process.on('uncaughtException', e => { process.stderr.write(`server.js: uncaught ${e && e.stack}\n`) })
