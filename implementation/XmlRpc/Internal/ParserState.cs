namespace XmlRpc.Internal;

/// <summary>The reusable buffers of one parse: the unmarshaller stack, the element stack, the text buffer, a string cache.</summary>
/// <remarks>One instance per thread is kept (rented and returned), so a steady stream of parses allocates only values.</remarks>
internal sealed class ParserState
{
    private const int RetainLimit = 64 * 1024;
    private const int CacheSize = 256;
    private const int MaxCachedLength = 32;

    [ThreadStatic]
    private static ParserState? _cached;

    /// <summary>Values (<see cref="XmlRpcValue"/>) and names (<see cref="string"/>), as CPython's <c>Unmarshaller._stack</c>.</summary>
    public object[] Stack = new object[64];
    public int StackCount;
    public int StackHighWater;

    public int[] Marks = new int[16];

    /// <summary>Per mark: whether it opens a struct (whose members are two stack items each: name, value).</summary>
    public bool[] MarkIsStruct = new bool[16];
    public int MarkCount;

    /// <summary>Per open element: name offset, name length, tag kind.</summary>
    public int[] Elements = new int[3 * 32];
    public int Depth;

    public byte[] Text = new byte[256];
    public int TextLength;

    private readonly string?[] _cache = new string?[CacheSize];

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

        Stack[StackCount++] = item;
        if (StackCount > StackHighWater)
        {
            StackHighWater = StackCount;
        }
    }

    public void PushMark(bool isStruct)
    {
        if (MarkCount == Marks.Length)
        {
            Array.Resize(ref Marks, Marks.Length * 2);
            Array.Resize(ref MarkIsStruct, Marks.Length);
        }

        MarkIsStruct[MarkCount] = isStruct;
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

    /// <summary>A string for UTF-8 bytes; short ASCII texts (member names, repeated values) come from a small cache.</summary>
    public string GetString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxCachedLength)
        {
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        if (!System.Text.Ascii.IsValid(utf8))
        {
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        // Eight bytes at a time: texts here are at most 32 bytes.
        var hash = (ulong)utf8.Length;
        var i = 0;
        for (; i + 8 <= utf8.Length; i += 8)
        {
            hash = (hash ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(utf8[i..])) * 0x9E3779B97F4A7C15;
        }

        for (; i < utf8.Length; i++)
        {
            hash = (hash ^ utf8[i]) * 0x100000001B3;
        }

        var slot = (int)((hash >> 40) % CacheSize);
        var cached = _cache[slot];
        if (cached is not null && cached.Length == utf8.Length && System.Text.Ascii.Equals(utf8, cached))
        {
            return cached;
        }

        var s = System.Text.Encoding.UTF8.GetString(utf8);
        _cache[slot] = s;
        return s;
    }
}
