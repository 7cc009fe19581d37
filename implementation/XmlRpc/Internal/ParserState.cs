using System.Buffers.Binary;

namespace XmlRpc.Internal;

/// <summary>The reusable buffers of one parse: the unmarshaller stack, the element stack, the text buffer, a string cache.</summary>
/// <remarks>One instance per thread is kept (rented and returned), so a steady stream of parses allocates only values.</remarks>
internal sealed class ParserState
{
    private const int RetainLimit = 64 * 1024;
    private const int CacheBits = 8;
    private const int CacheSize = 1 << CacheBits;
    private const int MaxCachedLength = 32;

    [ThreadStatic]
    private static ParserState? _cached;

    /// <summary>Values (<see cref="XmlRpcValue"/>) and names (<see cref="string"/>), as CPython's <c>Unmarshaller._stack</c>.</summary>
    /// <remarks>Wrapped in a struct: stores into it need no array covariance check.</remarks>
    public StackItem[] Stack = new StackItem[64];
    public int StackCount;
    public int StackHighWater;

    public int[] Marks = new int[16];

    /// <summary>Per mark: the stack count at which its collection is full (a struct member is two items: name, value).</summary>
    public long[] MarkFull = new long[16];
    public int MarkCount;

    /// <summary>Per open element: name offset, name length, tag kind.</summary>
    public int[] Elements = new int[3 * 32];
    public int Depth;

    public byte[] Text = new byte[256];
    public int TextLength;

    private readonly string?[] _cache = new string?[CacheSize];

    /// <summary>The UTF-8 bytes of each cached string (<see cref="MaxCachedLength"/> per slot): compared without widening.</summary>
    private readonly byte[] _cacheKeys = new byte[CacheSize * MaxCachedLength];

    /// <summary>Per slot, the values made from the cached string (they are immutable, so parses can share them).</summary>
    private readonly XmlRpcValue?[] _stringValues = new XmlRpcValue?[CacheSize];

    private readonly XmlRpcValue?[] _dateTimeValues = new XmlRpcValue?[CacheSize];

    public static ParserState Rent()
    {
        var state = _cached;
        if (state is null)
        {
            return new ParserState();
        }

        _cached = null;
        return state;
    }

    public static void Return(ParserState state)
    {
        Array.Clear(state.Stack, 0, state.StackHighWater);
        state.StackCount = 0;
        state.StackHighWater = 0;
        state.MarkCount = 0;
        state.Depth = 0;
        state.TextLength = 0;
        if (state.Stack.Length > RetainLimit || state.Text.Length > RetainLimit * 16 || state.Elements.Length > RetainLimit)
        {
            return;
        }

        _cached = state;
    }

    public void Push(object item)
    {
        if (StackCount == Stack.Length)
        {
            Array.Resize(ref Stack, Stack.Length * 2);
        }

        Stack[StackCount++].Item = item;
        if (StackCount > StackHighWater)
        {
            StackHighWater = StackCount;
        }
    }

    public void PushMark(long capacity)
    {
        if (MarkCount == Marks.Length)
        {
            Array.Resize(ref Marks, Marks.Length * 2);
            Array.Resize(ref MarkFull, Marks.Length);
        }

        MarkFull[MarkCount] = StackCount + capacity;
        Marks[MarkCount++] = StackCount;
    }

    public void PushElement(int nameStart, int nameLength, int kind)
    {
        var i = Depth * 3;
        if (i + 3 > Elements.Length)
        {
            Array.Resize(ref Elements, Elements.Length * 2);
        }

        Elements[i] = nameStart;
        Elements[i + 1] = nameLength;
        Elements[i + 2] = kind;
        Depth++;
    }

    public void AppendText(ReadOnlySpan<byte> bytes)
    {
        if (TextLength + bytes.Length > Text.Length)
        {
            Array.Resize(ref Text, Math.Max(Text.Length * 2, TextLength + bytes.Length));
        }

        bytes.CopyTo(Text.AsSpan(TextLength));
        TextLength += bytes.Length;
    }

    public void AppendByte(byte b)
    {
        if (TextLength == Text.Length)
        {
            Array.Resize(ref Text, Text.Length * 2);
        }

        Text[TextLength++] = b;
    }

    /// <summary>A string for UTF-8 bytes; short ASCII texts (member names, repeated values) come from a small cache.</summary>
    public string GetString(ReadOnlySpan<byte> utf8) => GetString(utf8, out _);

    /// <summary>A <see cref="XmlRpcValueKind.String"/> value; for a cached text, the same (immutable) instance each time.</summary>
    public XmlRpcValue GetStringValue(ReadOnlySpan<byte> utf8)
    {
        var s = GetString(utf8, out var slot);
        if (slot < 0)
        {
            return XmlRpcValue.CreateStringOwned(s);
        }

        return _stringValues[slot] ??= XmlRpcValue.CreateStringOwned(s);
    }

    /// <summary>A <see cref="XmlRpcValueKind.DateTime"/> value for text that needs no stripping; cached like <see cref="GetStringValue"/>.</summary>
    public XmlRpcValue GetDateTimeValue(ReadOnlySpan<byte> utf8)
    {
        var s = GetString(utf8, out var slot);
        if (slot < 0)
        {
            return XmlRpcValue.FromDateTimeText(s);
        }

        return _dateTimeValues[slot] ??= XmlRpcValue.FromDateTimeText(s);
    }

    /// <summary>The string, and its cache slot (-1 when the text is not cached).</summary>
    private string GetString(ReadOnlySpan<byte> utf8, out int slot)
    {
        slot = -1;
        var length = utf8.Length;
        if (length == 0)
        {
            return string.Empty;
        }

        if (length > MaxCachedLength)
        {
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        // Whole words, overlapping at the end, so that short names cost one or two loads: their OR is the ASCII check,
        // their multiplicative mix the hash (texts here are at most 32 bytes).
        ulong bits;
        ulong hash;
        if (length >= 8)
        {
            bits = 0;
            hash = (ulong)length;
            var i = 0;
            for (; i + 8 <= length; i += 8)
            {
                var w = BinaryPrimitives.ReadUInt64LittleEndian(utf8[i..]);
                bits |= w;
                hash = (hash ^ w) * 0x9E3779B97F4A7C15;
            }

            if (i < length)
            {
                var w = BinaryPrimitives.ReadUInt64LittleEndian(utf8[(length - 8)..]);
                bits |= w;
                hash = (hash ^ w) * 0x9E3779B97F4A7C15;
            }
        }
        else
        {
            bits = length >= 4
                ? BinaryPrimitives.ReadUInt32LittleEndian(utf8) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(utf8[(length - 4)..]) << 32)
                : utf8[0] | ((ulong)utf8[length >> 1] << 8) | ((ulong)utf8[length - 1] << 16);
            hash = (bits ^ (ulong)length) * 0x9E3779B97F4A7C15;
        }

        if ((bits & 0x8080_8080_8080_8080) != 0)
        {
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        slot = (int)(hash >> (64 - CacheBits));
        var key = _cacheKeys.AsSpan(slot * MaxCachedLength, length);
        var cached = _cache[slot];
        if (cached is not null && cached.Length == length && utf8.SequenceEqual(key))
        {
            return cached;
        }

        var s = System.Text.Encoding.UTF8.GetString(utf8);
        _cache[slot] = s;
        _stringValues[slot] = null;
        _dateTimeValues[slot] = null;
        utf8.CopyTo(key);
        return s;
    }
}

/// <summary>One unmarshaller stack entry.</summary>
internal struct StackItem
{
    public object Item;
}
