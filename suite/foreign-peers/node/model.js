'use strict'
// The catalog's value model (fixtures/README.md) for the JavaScript values node-xmlrpc decodes.
// Shared by server.js (describe) and client.js (observations). Never writes XML-RPC XML.
const xmlrpc = require('xmlrpc')

// Python repr() of a double from JavaScript's own shortest round-trip digits.
function pythonFloatRepr (x) {
  if (Number.isNaN(x)) return 'nan'
  if (x === Infinity) return 'inf'
  if (x === -Infinity) return '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  const [mant, expText] = x.toExponential().split('e') // shortest digits, e.g. "1.5e-7"
  const exp = parseInt(expText, 10)
  const neg = mant.startsWith('-')
  const digits = mant.replace('-', '').replace('.', '')
  let out
  if (exp < -4 || exp >= 16) {
    out = digits[0] + (digits.length > 1 ? '.' + digits.slice(1) : '') +
      'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0')
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits
  } else {
    const intDigits = exp + 1
    const ip = digits.slice(0, intDigits).padEnd(intDigits, '0')
    const fp = digits.slice(intDigits)
    out = ip + '.' + (fp || '0')
  }
  return (neg ? '-' : '') + out
}

function pad (n, w) { return String(n).padStart(w, '0') }

// A decoded JavaScript value -> model. node-xmlrpc decodes <int> and <double> to one JS number,
// <i8> to a string, <dateTime.iso8601> to a Date (local time), <base64> to a Buffer.
function toModel (v) {
  if (v === null || v === undefined) return { nil: null }
  if (typeof v === 'boolean') return { boolean: v }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !Object.is(v, -0)) return { int: v }
    return { double: pythonFloatRepr(v) }
  }
  if (typeof v === 'string') return { string: v }
  if (Buffer.isBuffer(v)) return { base64: v.toString('base64') }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { 'dateTime.iso8601': 'Invalid Date' }
    return {
      'dateTime.iso8601': pad(v.getFullYear(), 4) + pad(v.getMonth() + 1, 2) + pad(v.getDate(), 2) + 'T' +
        pad(v.getHours(), 2) + ':' + pad(v.getMinutes(), 2) + ':' + pad(v.getSeconds(), 2)
    }
  }
  if (Array.isArray(v)) return { array: v.map(toModel) }
  if (typeof v === 'object') return { struct: Object.keys(v).map(k => [k, toModel(v[k])]) }
  return { javascript: String(v) }
}

// Python's json.dumps(..., separators=(",", ":"), ensure_ascii=True)
function canonicalJson (m) {
  return JSON.stringify(m).replace(/[\u007f-\uffff]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

// <i8> through node-xmlrpc's documented extension point (README "Custom Types").
class I8 extends xmlrpc.CustomType {}
I8.prototype.tagName = 'i8'

module.exports = { pythonFloatRepr, toModel, canonicalJson, I8 }
