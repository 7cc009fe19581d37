using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using XmlRpc.Internal;
using XmlRpc.Protocol;

namespace XmlRpc;

/// <summary>Writes XML-RPC requests, responses and faults, byte-identical to CPython's <c>xmlrpc.client.dumps</c>.</summary>
/// <remarks>
/// <para>
/// The output follows CPython 3.6–3.13 byte for byte (reference: <c>docs/cpython-wire.md</c> §1): the
/// declaration <c>&lt;?xml version='1.0'?&gt;\n</c>, a <c>\n</c> after every value and container tag except
/// <c>&lt;nil/&gt;</c>, <c>&lt;params&gt;</c> even when empty, doubles as Python <c>repr()</c>, base64 in 76-column lines,
/// <c>YYYYMMDDTHH:MM:SS</c> dates, and only <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped.
/// </para>
/// <para>Deliberate deviations, where CPython writes something no receiver reads back as sent:</para>
/// <list type="bullet">
/// <item><description>a carriage return is written as <c>&amp;#13;</c> (CPython writes it raw, and XML end-of-line handling turns it into <c>\n</c>, XML 1.0 §2.11);</description></item>
/// <item><description>characters XML 1.0 cannot carry (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF, lone surrogates) are refused with <see cref="XmlRpcFormatException"/> (CPython writes ill-formed XML, bpo-7727);</description></item>
/// <item><description>the method name and dateTime texts are escaped like strings (CPython ≤ 3.13 writes them raw; gh-148954 escapes the method name on main).</description></item>
/// </list>
/// <para>
/// This class only encodes; transports (HTTP client and server) are separate. The <see cref="IBufferWriter{T}"/> overloads
/// write directly: if they throw, the bytes already written stay in the output, so write into a buffer you can
/// discard (the <c>Format*</c> and <see cref="Stream"/> overloads do that for you and write nothing on failure).
/// </para>
/// </remarks>
public sealed class XmlRpcFormatter
{
    /// <summary>A multi-byte encoding other than UTF-8 (null for UTF-8 and single-byte encodings).</summary>
    private readonly Encoding? _encoding;

    /// <summary>A single-byte encoding, with CPython's table.</summary>
    private readonly SingleByteCodec? _singleByte;

    /// <summary>Bytes before the document: FF FE for CPython's <c>utf-16</c> codec, else none.</summary>
    private readonly byte[] _byteOrderMark = [];
    private readonly byte[] _declaration;

    /// <summary>Creates a formatter.</summary>
    /// <exception cref="ArgumentException"><see cref="XmlRpcFormatterOptions.EncodingName"/> is not an encoding .NET knows, or is UTF-32 (see <see cref="XmlRpcFormatterOptions.EncodingName"/>).</exception>
    public XmlRpcFormatter(XmlRpcFormatterOptions? options = null)
    {
        Options = options ?? XmlRpcFormatterOptions.Default;
        if (Options.MaxDepth < 1)
        {
            throw new ArgumentException("MaxDepth must be at least 1.", nameof(options));
        }

        var name = Options.EncodingName;
        if (name is null || string.Equals(name, "utf-8", StringComparison.Ordinal))
        {
            _declaration = "<?xml version='1.0'?>\n"u8.ToArray();
        }
        else
        {
            if (name.AsSpan().ContainsAny('\'', '<', '>') || name.Length == 0)
            {
                throw new ArgumentException($"'{name}' is not an encoding name.", nameof(options));
            }

            var encoding = Encodings.Find(name, XmlCharRefFallback.Instance, DecoderFallback.ExceptionFallback)
                ?? throw new ArgumentException($"Unknown encoding '{name}'.", nameof(options));
            if (encoding is UTF32Encoding)
            {
                throw new ArgumentException(
                    $"Cannot write '{name}': no XML-RPC receiver we know reads UTF-32 (CPython's expat reads FF FE 00 00 as UTF-16 and fails; XmlRpcParser refuses UTF-32). Use UTF-8 or UTF-16.",
                    nameof(options));
            }

            if (Encodings.IsUtf16WithByteOrderMark(name))
            {
                // CPython's str.encode('utf-16') starts with a byte order mark (little-endian), and XML 1.0 §4.3.3 requires one
                // for UTF-16; .NET's GetBytes writes none. 'utf-16le' and 'utf-16be' write none in CPython either.
                _byteOrderMark = [0xFF, 0xFE];
            }

            _declaration = Encoding.UTF8.GetBytes($"<?xml version='1.0' encoding='{name}'?>\n");
            if (encoding.IsSingleByte)
            {
                // .NET's code pages encode characters CPython's codecs lack (U+0081 in windows-1252): use CPython's table.
                _singleByte = SingleByteCodec.For(encoding);
            }
            else if (encoding is not UTF8Encoding)
            {
                _encoding = encoding;
            }
        }
    }

    /// <summary>A formatter with <see cref="XmlRpcFormatterOptions.Default"/>.</summary>
    public static XmlRpcFormatter Default { get; } = new();

    /// <summary>The options.</summary>
    public XmlRpcFormatterOptions Options { get; }

    /// <summary>Python <c>repr()</c> of a double, as this formatter writes it by default (<c>0.1</c>, <c>1e-07</c>, <c>1e+16</c>, <c>-0.0</c>, <c>inf</c>, <c>nan</c>).</summary>
    public static string FormatDouble(double value) => PythonFloat.Repr(value);

    /// <summary>Writes a <c>&lt;methodCall&gt;</c> document.</summary>
    /// <exception cref="XmlRpcFormatException">A value cannot be written (see the class remarks).</exception>
    public void WriteRequest(IBufferWriter<byte> output, XmlRpcRequest request)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(request);
        Write(output, request, static (ref e, f, r) => f.EmitRequest(ref e, r));
    }

    /// <summary>Writes a <c>&lt;methodResponse&gt;</c> document with one value, or with a fault.</summary>
    /// <exception cref="XmlRpcFormatException">A value cannot be written.</exception>
    public void WriteResponse(IBufferWriter<byte> output, XmlRpcResponse response)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(response);
        Write(output, response, static (ref e, f, r) => f.EmitResponse(ref e, r));
    }

    /// <summary>Writes a <c>&lt;methodResponse&gt;&lt;fault&gt;</c> document.</summary>
    /// <exception cref="XmlRpcFormatException">The fault string has a character XML 1.0 cannot carry.</exception>
    public void WriteFault(IBufferWriter<byte> output, XmlRpcFault fault)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(fault);
        Write(output, XmlRpcResponse.FromFault(fault), static (ref e, f, r) => f.EmitResponse(ref e, r));
    }

    /// <summary>Writes one <c>&lt;value&gt;</c> element (UTF-8, no declaration) as CPython's <c>Marshaller</c> does, trailing <c>\n</c> included.</summary>
    /// <exception cref="XmlRpcFormatException">The value cannot be written.</exception>
    public void WriteValue(IBufferWriter<byte> output, XmlRpcValue value)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        var e = new Utf8Emitter(output);
        EmitValue(ref e, value, 0);
        e.Flush();
    }

    /// <summary>The bytes of a <c>&lt;methodCall&gt;</c> document.</summary>
    /// <exception cref="XmlRpcFormatException">A value cannot be written.</exception>
    public byte[] FormatRequest(XmlRpcRequest request)
    {
        using var buffer = new PooledBufferWriter();
        WriteRequest(buffer, request);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The bytes of a <c>&lt;methodResponse&gt;</c> document.</summary>
    /// <exception cref="XmlRpcFormatException">A value cannot be written.</exception>
    public byte[] FormatResponse(XmlRpcResponse response)
    {
        using var buffer = new PooledBufferWriter();
        WriteResponse(buffer, response);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The bytes of a fault document.</summary>
    /// <exception cref="XmlRpcFormatException">The fault string cannot be written.</exception>
    public byte[] FormatFault(XmlRpcFault fault)
    {
        using var buffer = new PooledBufferWriter();
        WriteFault(buffer, fault);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a <c>&lt;methodCall&gt;</c> document to a stream; nothing is written if a value is refused.</summary>
    /// <exception cref="XmlRpcFormatException">A value cannot be written.</exception>
    public Task WriteRequestAsync(Stream stream, XmlRpcRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteToStreamAsync(stream, buffer => WriteRequest(buffer, request), cancellationToken);
    }

    /// <summary>Writes a <c>&lt;methodResponse&gt;</c> document to a stream; nothing is written if a value is refused.</summary>
    /// <exception cref="XmlRpcFormatException">A value cannot be written.</exception>
    public Task WriteResponseAsync(Stream stream, XmlRpcResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return WriteToStreamAsync(stream, buffer => WriteResponse(buffer, response), cancellationToken);
    }

    /// <summary>Writes a fault document to a stream; nothing is written if the fault string is refused.</summary>
    /// <exception cref="XmlRpcFormatException">The fault string cannot be written.</exception>
    public Task WriteFaultAsync(Stream stream, XmlRpcFault fault, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return WriteToStreamAsync(stream, buffer => WriteFault(buffer, fault), cancellationToken);
    }

    private delegate void EmitAction<T>(ref Utf8Emitter emitter, XmlRpcFormatter formatter, T message);

    private static async Task WriteToStreamAsync(Stream stream, Action<PooledBufferWriter> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new PooledBufferWriter();
        write(buffer);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private void Write<T>(IBufferWriter<byte> output, T message, EmitAction<T> emit)
    {
        if (_encoding is null && _singleByte is null)
        {
            var e = new Utf8Emitter(output);
            emit(ref e, this, message);
            e.Flush();
            return;
        }

        // Another encoding: write UTF-8, then re-encode with decimal character references for what the
        // encoding cannot carry (CPython: dumps(...).encode(encoding, 'xmlcharrefreplace')).
        using var utf8 = new PooledBufferWriter();
        var u = new Utf8Emitter(utf8);
        emit(ref u, this, message);
        u.Flush();
        var text = Encoding.UTF8.GetString(utf8.WrittenSpan);
        if (_singleByte is not null)
        {
            _singleByte.Encode(text, output);
            return;
        }

        var size = _encoding!.GetByteCount(text);
        var dest = output.GetSpan(_byteOrderMark.Length + size);
        _byteOrderMark.CopyTo(dest);
        var written = _encoding.GetBytes(text, dest[_byteOrderMark.Length..]);
        output.Advance(_byteOrderMark.Length + written);
    }

    private void EmitRequest(ref Utf8Emitter e, XmlRpcRequest request)
    {
        e.Raw(_declaration);
        e.Raw("<methodCall>\n<methodName>"u8);
        e.Text(request.MethodName ?? throw new ArgumentException("The request has no method name.", nameof(request)));
        e.Raw("</methodName>\n<params>\n"u8);
        var parameters = request.Params ?? throw new ArgumentException("The request has no parameter list.", nameof(request));
        for (var i = 0; i < parameters.Count; i++)
        {
            e.Raw("<param>\n"u8);
            EmitValue(ref e, parameters[i] ?? throw new ArgumentException($"Parameter {i} is null.", nameof(request)), 0);
            e.Raw("</param>\n"u8);
        }

        e.Raw("</params>\n</methodCall>\n"u8);
    }

    private void EmitResponse(ref Utf8Emitter e, XmlRpcResponse response)
    {
        e.Raw(_declaration);
        if (response.IsFault)
        {
            e.Raw("<methodResponse>\n<fault>\n"u8);
            EmitValue(ref e, response.Fault.ToValue(), 0);
            e.Raw("</fault>\n</methodResponse>\n"u8);
            return;
        }

        e.Raw("<methodResponse>\n<params>\n<param>\n"u8);
        EmitValue(ref e, response.Value, 0);
        e.Raw("</param>\n</params>\n</methodResponse>\n"u8);
    }

    private void EmitValue(ref Utf8Emitter e, XmlRpcValue value, int depth)
    {
        switch (value.Kind)
        {
            case XmlRpcValueKind.Int:
                EmitInt(ref e, value.Bits);
                break;
            case XmlRpcValueKind.I8:
                EmitI8(ref e, value.Bits);
                break;
            case XmlRpcValueKind.BigInteger:
                {
                    var big = (BigInteger)value.Reference!;
                    if (big >= int.MinValue && big <= int.MaxValue)
                    {
                        EmitInt(ref e, (long)big);
                    }
                    else if (big >= long.MinValue && big <= long.MaxValue)
                    {
                        EmitI8(ref e, (long)big);
                    }
                    else
                    {
                        throw Overflow(big.ToString(CultureInfo.InvariantCulture), beyond64Bits: true);
                    }

                    break;
                }

            case XmlRpcValueKind.Boolean:
                e.Raw(value.Bits != 0 ? "<value><boolean>1</boolean></value>\n"u8 : "<value><boolean>0</boolean></value>\n"u8);
                break;
            case XmlRpcValueKind.String:
                e.Raw("<value><string>"u8);
                e.Text((string)value.Reference!);
                e.Raw("</string></value>\n"u8);
                break;
            case XmlRpcValueKind.Double:
                EmitDouble(ref e, BitConverter.Int64BitsToDouble(value.Bits));
                break;
            case XmlRpcValueKind.DateTime:
                e.Raw("<value><dateTime.iso8601>"u8);
                // CPython writes a DateTime's text as it is (DateTime.encode): '>' stays '>'. '&' and '<', which it would
                // also write raw (a document no parser reads), are escaped here.
                e.Text((string)value.Reference!, rawGreaterThan: true);
                e.Raw("</dateTime.iso8601></value>\n"u8);
                break;
            case XmlRpcValueKind.Base64:
                e.Raw("<value><base64>\n"u8);
                e.Base64Lines((byte[])value.Reference!);
                e.Raw("</base64></value>\n"u8);
                break;
            case XmlRpcValueKind.Nil:
                if (!Options.AllowNil)
                {
                    throw new XmlRpcFormatException("Cannot write nil: XmlRpcFormatterOptions.AllowNil is off (CPython: cannot marshal None unless allow_none is enabled).")
                    {
                        PythonType = "TypeError",
                        PythonMessage = "cannot marshal None unless allow_none is enabled",
                    };
                }

                e.Raw("<value><nil/></value>"u8);
                break;
            case XmlRpcValueKind.Array:
                {
                    CheckDepth(depth);
                    e.Raw("<value><array><data>\n"u8);
                    foreach (var item in value.ArrayItems)
                    {
                        EmitValue(ref e, item, depth + 1);
                    }

                    e.Raw("</data></array></value>\n"u8);
                    break;
                }

            case XmlRpcValueKind.Struct:
                {
                    CheckDepth(depth);
                    e.Raw("<value><struct>\n"u8);
                    foreach (var member in value.StructMembers)
                    {
                        e.Raw("<member>\n<name>"u8);
                        e.Text(member.Key);
                        e.Raw("</name>\n"u8);
                        EmitValue(ref e, member.Value, depth + 1);
                        e.Raw("</member>\n"u8);
                    }

                    e.Raw("</struct></value>\n"u8);
                    break;
                }

            case XmlRpcValueKind.BigDecimal:
                throw new XmlRpcFormatException("Cannot write a bigdecimal: it is parse-only (CPython cannot marshal a Decimal either).")
                {
                    PythonType = "TypeError",
                    PythonMessage = "cannot marshal <class 'decimal.Decimal'> objects",
                };
            default:
                throw new XmlRpcFormatException($"Unknown value kind {value.Kind}.");
        }
    }

    private void CheckDepth(int depth)
    {
        if (depth >= Options.MaxDepth)
        {
            throw new XmlRpcFormatException($"The value nests arrays and structs deeper than XmlRpcFormatterOptions.MaxDepth ({Options.MaxDepth.ToString(CultureInfo.InvariantCulture)}).");
        }

        // EmitValue recurses once per array or struct: with MaxDepth raised, running out of stack must be a format
        // error (thrown while there is room for it), not a process crash.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new XmlRpcFormatException(
                $"The value nests arrays and structs too deep for this thread's stack (depth {depth.ToString(CultureInfo.InvariantCulture)}, XmlRpcFormatterOptions.MaxDepth {Options.MaxDepth.ToString(CultureInfo.InvariantCulture)}); lower MaxDepth or write on a thread with a larger stack.");
        }
    }

    private void EmitInt(ref Utf8Emitter e, long v)
    {
        if (v is < int.MinValue or > int.MaxValue)
        {
            EmitI8(ref e, v);
            return;
        }

        if (Options.UseI4Tag)
        {
            e.Raw("<value><i4>"u8);
            e.Int64(v);
            e.Raw("</i4></value>\n"u8);
        }
        else
        {
            e.Raw("<value><int>"u8);
            e.Int64(v);
            e.Raw("</int></value>\n"u8);
        }
    }

    private void EmitI8(ref Utf8Emitter e, long v)
    {
        if (Options.Int64Tag == XmlRpcInt64Tag.I8)
        {
            e.Raw("<value><i8>"u8);
            e.Int64(v);
            e.Raw("</i8></value>\n"u8);
        }
        else if (v is >= int.MinValue and <= int.MaxValue)
        {
            EmitInt(ref e, v);
        }
        else
        {
            throw Overflow(v.ToString(CultureInfo.InvariantCulture), beyond64Bits: false);
        }
    }

    /// <summary>An integer the options cannot write; the advice depends on whether <c>&lt;i8&gt;</c> would hold it.</summary>
    private XmlRpcFormatException Overflow(string value, bool beyond64Bits)
    {
        var limit = Options.Int64Tag == XmlRpcInt64Tag.I8 ? "64 bits, with Int64Tag = I8" : "32 bits";
        var advice = beyond64Bits
            ? "No XML-RPC integer type holds it (<i8> has 64 bits); send it as a string."
            : "Set XmlRpcFormatterOptions.Int64Tag = I8 to write 64-bit integers as <i8>.";
        return new($"The integer {value} exceeds XML-RPC limits ({limit}); CPython refuses it too (OverflowError: int exceeds XML-RPC limits). {advice}")
        {
            PythonType = "OverflowError",
            PythonMessage = "int exceeds XML-RPC limits",
        };
    }

    private void EmitDouble(ref Utf8Emitter e, double d)
    {
        e.Raw("<value><double>"u8);
        if (Options.DoubleFormat == XmlRpcDoubleFormat.Positional)
        {
            if (!double.IsFinite(d))
            {
                throw new XmlRpcFormatException($"The XML-RPC specification has no form for {PythonFloat.Repr(d)}; use XmlRpcDoubleFormat.PythonRepr to write it as CPython does.");
            }

            e.Advance(PythonFloat.FormatPositional(d, e.Reserve(340)));
        }
        else
        {
            e.Advance(PythonFloat.FormatRepr(d, e.Reserve(PythonFloat.MaxReprLength)));
        }

        e.Raw("</double></value>\n"u8);
    }
}
