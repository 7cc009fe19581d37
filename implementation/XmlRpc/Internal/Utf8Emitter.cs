using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace XmlRpc.Internal;

/// <summary>Writes UTF-8 into an <see cref="IBufferWriter{T}"/> through a cached span (few interface calls per document).</summary>
internal ref struct Utf8Emitter
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>Characters that stop the fast path of <see cref="Text"/>: markup to escape, CR, and what XML 1.0 cannot carry.</summary>
    private static readonly SearchValues<char> Special = SearchValues.Create("&<>\r" + XmlCharacters.Forbidden);

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _pos;

    public Utf8Emitter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = output.GetSpan(512);
        _pos = 0;
    }

    public void Flush()
    {
        if (_pos > 0)
        {
            _output.Advance(_pos);
            _pos = 0;
        }

        _span = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int size)
    {
        if (_span.Length - _pos < size)
        {
            Grow(size);
        }

        return _span[_pos..];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count) => _pos += count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        if (_span.Length - _pos < bytes.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_span[_pos..]);
        _pos += bytes.Length;
    }

    public void Int64(long value)
    {
        var dest = Reserve(20);
        value.TryFormat(dest, out var n, default, CultureInfo.InvariantCulture);
        _pos += n;
    }

    /// <summary>
    /// Escaped text: <c>&amp;</c> <c>&lt;</c> <c>&gt;</c> as entities (CPython's <c>escape()</c>; <c>&gt;</c> as it is when
    /// <paramref name="rawGreaterThan"/>), CR as <c>&amp;#13;</c> (our deviation: CPython writes it raw and the receiver reads
    /// LF); characters XML 1.0 cannot carry are refused.
    /// </summary>
    public void Text(ReadOnlySpan<char> text, bool rawGreaterThan = false)
    {
        var offset = 0;
        while (!text.IsEmpty)
        {
            var i = text.IndexOfAny(Special);
            var run = i < 0 ? text : text[..i];
            Transcode(run, offset);
            if (i < 0)
            {
                return;
            }

            var c = text[i];
            switch (c)
            {
                case '&':
                    Raw("&amp;"u8);
                    break;
                case '<':
                    Raw("&lt;"u8);
                    break;
                case '>':
                    Raw(rawGreaterThan ? ">"u8 : "&gt;"u8);
                    break;
                case '\r':
                    Raw("&#13;"u8);
                    break;
                default:
                    throw InvalidCharacter(c, offset + i);
            }

            offset += i + 1;
            text = text[(i + 1)..];
        }
    }

    public void Base64Lines(ReadOnlySpan<byte> data)
    {
        // base64.encodebytes: 76 output characters (57 input bytes) per line, each line ending in \n.
        while (!data.IsEmpty)
        {
            var take = Math.Min(57, data.Length);
            var dest = Reserve(77);
            Base64.EncodeToUtf8(data[..take], dest, out _, out var written);
            dest[written] = (byte)'\n';
            _pos += written + 1;
            data = data[take..];
        }
    }

    private void Transcode(ReadOnlySpan<char> run, int offset)
    {
        while (!run.IsEmpty)
        {
            if (_span.Length - _pos < 4)
            {
                Grow(Math.Min(run.Length * 3, ChunkSize));
            }

            var status = Utf8.FromUtf16(run, _span[_pos..], out var read, out var written, replaceInvalidSequences: false, isFinalBlock: true);
            _pos += written;
            if (status == OperationStatus.InvalidData)
            {
                throw new XmlRpcFormatException(
                    $"The text has a lone surrogate U+{(int)run[read]:X4} at index {(offset + read).ToString(CultureInfo.InvariantCulture)}: " +
                    "it cannot be encoded (CPython writes the ill-formed reference &#" + ((int)run[read]).ToString(CultureInfo.InvariantCulture) + "; that every receiver rejects).");
            }

            offset += read;
            run = run[read..];
            if (status == OperationStatus.DestinationTooSmall)
            {
                Grow(Math.Min(Math.Max(run.Length * 3, 4), ChunkSize));
            }
        }
    }

    private static XmlRpcFormatException InvalidCharacter(char c, int index) => new(
        $"The text has U+{(int)c:X4} at index {index.ToString(CultureInfo.InvariantCulture)}, a character XML 1.0 cannot carry " +
        "(§2.2: U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF). CPython writes it raw and every receiver, " +
        "CPython included, rejects the document (bpo-7727); send it as base64 instead.");

    private void Grow(int size)
    {
        if (_pos > 0)
        {
            _output.Advance(_pos);
            _pos = 0;
        }

        _span = _output.GetSpan(Math.Max(size, ChunkSize));
    }
}
