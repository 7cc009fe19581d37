using System.Diagnostics;
using System.Text;
using Xunit;

namespace XmlRpc.Tests.Codec;

/// <summary>Hostile documents: each one a clean <see cref="XmlRpcParseException"/>, in bounded time and memory, never a crash.</summary>
public sealed class HostileDocumentTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);

    [Fact]
    public void BillionLaughsIsRefusedBeforeAnyExpansion()
    {
        var doc = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">" +
            string.Concat(Enumerable.Range(2, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 2 ? string.Empty : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10))}\">")) +
            "]><methodResponse><params><param><value><string>&lol9;</string></value></param></params></methodResponse>";
        var e = Measure(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(doc)), out var allocated);
        Assert.Equal(XmlRpcParseErrorKind.DtdProhibited, e.Kind);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void ExternalEntityIsRefused()
    {
        var doc = "<!DOCTYPE methodResponse [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><methodResponse><params><param><value><string>&xxe;</string></value></param></params></methodResponse>";
        Assert.Equal(XmlRpcParseErrorKind.DtdProhibited, Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(doc))).Kind);
    }

    [Fact]
    public void EntityReferenceWithoutDtdIsUndefined() =>
        Assert.Contains("undefined entity", Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes("<params><param><value>&xxe;</value></param></params>"))).Message, StringComparison.Ordinal);

    [Fact]
    public void HundredThousandNestedArraysAreALimitErrorNotAStackOverflow()
    {
        const int depth = 100_000;
        var sb = new StringBuilder("<methodResponse><params><param>");
        for (var i = 0; i < depth; i++)
        {
            sb.Append("<value><array><data>");
        }

        for (var i = 0; i < depth; i++)
        {
            sb.Append("</data></array></value>");
        }

        sb.Append("</param></params></methodResponse>");
        var e = Measure(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(sb.ToString())), out _);
        Assert.Equal(XmlRpcParseErrorKind.LimitExceeded, e.Kind);
        Assert.Contains("MaxDepth", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNestingWithinTheLimitParsesIteratively()
    {
        // With the limit raised, 100 000 levels parse without recursion (the parser has no call stack per level).
        const int depth = 100_000;
        var sb = new StringBuilder("<params><param>");
        sb.Insert(sb.Length, "<value><array><data>", depth).Append("<value><int>1</int></value>").Insert(sb.Length, "</data></array></value>", depth);
        sb.Append("</param></params>");
        var parser = new XmlRpcParser(new XmlRpcParserOptions { MaxDepth = 4 * depth });
        var value = parser.Parse(Encoding.UTF8.GetBytes(sb.ToString())).Params[0];
        var levels = 0;
        while (value.Kind == XmlRpcValueKind.Array)
        {
            value = value[0];
            levels++;
        }

        Assert.Equal(depth, levels);
        Assert.Equal(XmlRpcValue.FromInt32(1), value);
    }

    [Fact]
    public void HundredMegabyteDocumentIsRefusedBySize()
    {
        var doc = new byte[100 * 1024 * 1024];
        "<params><param><value><string>"u8.CopyTo(doc);
        var e = Measure(() => XmlRpcParser.Default.Parse(doc), out var allocated);
        Assert.Equal(XmlRpcParseErrorKind.LimitExceeded, e.Kind);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task HundredMegabyteStreamIsNotReadPastTheLimit()
    {
        var stream = new EndlessStream("<params><param><value><string>"u8.ToArray(), (byte)'x');
        var parser = new XmlRpcParser(new XmlRpcParserOptions { MaxDocumentBytes = 1024 * 1024 });
        var e = await Assert.ThrowsAsync<XmlRpcParseException>(async () => await parser.ParseAsync(stream, TestContext.Current.CancellationToken));
        Assert.Equal(XmlRpcParseErrorKind.LimitExceeded, e.Kind);
        Assert.True(stream.BytesRead <= (1024 * 1024) + 1 + (64 * 1024), $"read {stream.BytesRead} bytes");
    }

    [Fact]
    public async Task StreamParsingWorksWithTheLargestDocumentLimit()
    {
        // MaxDocumentBytes + 1 overflowed int and ReadAsync got a negative count (ArgumentOutOfRangeException).
        var parser = new XmlRpcParser(new XmlRpcParserOptions { MaxDocumentBytes = int.MaxValue });
        var text = new string('x', 100_000);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("<params><param><value><string>" + text + "</string></value></param></params>"));
        var message = await parser.ParseAsync(stream, TestContext.Current.CancellationToken);
        Assert.Equal(XmlRpcValue.FromString(text), message.Params[0]);
    }

    [Fact]
    public void HundredMegabyteStringIsRefusedByTheStringLimit()
    {
        // The document limit is raised so that the string limit is what trips.
        var prefix = "<params><param><value><string>"u8;
        var suffix = "</string></value></param></params>"u8;
        var doc = new byte[prefix.Length + (100 * 1024 * 1024) + suffix.Length];
        prefix.CopyTo(doc);
        doc.AsSpan(prefix.Length, 100 * 1024 * 1024).Fill((byte)'x');
        suffix.CopyTo(doc.AsSpan(doc.Length - suffix.Length));
        var parser = new XmlRpcParser(new XmlRpcParserOptions { MaxDocumentBytes = 200 * 1024 * 1024 });
        var e = Measure(() => parser.Parse(doc), out var allocated);
        Assert.Equal(XmlRpcParseErrorKind.LimitExceeded, e.Kind);
        Assert.Contains("MaxStringLength", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 10_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void IntegerOfFiveThousandDigitsIsRefusedLikeCPython()
    {
        var doc = "<params><param><value><int>" + new string('9', 5000) + "</int></value></param></params>";
        Assert.Contains("4300 digits", Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(doc))).Message, StringComparison.Ordinal);
        var ok = "<params><param><value><int>" + new string('9', 4300) + "</int></value></param></params>";
        Assert.Equal(XmlRpcValueKind.BigInteger, XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(ok)).Params[0].Kind);
    }

    [Fact]
    public void ShortIntegersAreCheckedAgainstALoweredDigitLimit()
    {
        // The fast path for up to 18 digits skipped MaxIntegerDigits; leading zeros count, as in CPython's int().
        var parser = new XmlRpcParser(new XmlRpcParserOptions { MaxIntegerDigits = 3 });
        static byte[] Int(string text) => Encoding.UTF8.GetBytes("<params><param><value><int>" + text + "</int></value></param></params>");
        foreach (var text in new[] { "1234", "-1234", " 0123 ", "1_234" })
        {
            var e = Assert.Throws<XmlRpcParseException>(() => parser.Parse(Int(text)));
            Assert.Equal(XmlRpcParseErrorKind.LimitExceeded, e.Kind);
            Assert.Contains("3 digits", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(XmlRpcValue.FromInt32(-123), parser.Parse(Int("-123")).Params[0]);
        Assert.Equal(XmlRpcValue.FromInt32(123), parser.Parse(Int(" 1_23 ")).Params[0]);
    }

    [Fact]
    public void HugeBase64IsRefusedByItsLimit()
    {
        var doc = "<params><param><value><base64>" + new string('A', 4 * 1024 * 1024) + "</base64></value></param></params>";
        var parser = new XmlRpcParser(new XmlRpcParserOptions { MaxBase64Length = 1024 * 1024 });
        Assert.Contains("MaxBase64Length", Assert.Throws<XmlRpcParseException>(() => parser.Parse(Encoding.UTF8.GetBytes(doc))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyItemsAreRefused()
    {
        var doc = "<params><param><value><array><data>" + string.Concat(Enumerable.Repeat("<value/>", 1001)) + "</data></array></value></param></params>";
        var parser = new XmlRpcParser(new XmlRpcParserOptions { MaxCollectionCount = 1000 });
        Assert.Contains("MaxCollectionCount", Assert.Throws<XmlRpcParseException>(() => parser.Parse(Encoding.UTF8.GetBytes(doc))).Message, StringComparison.Ordinal);
        Assert.Equal(1001, XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(doc)).Params[0].Count);
    }

    [Fact]
    public void MaxCollectionCountCountsStructMembersNotNamesAndValues()
    {
        static byte[] Struct(int members) => Encoding.UTF8.GetBytes("<params><param><value><struct>" +
            string.Concat(Enumerable.Range(0, members).Select(i => $"<member><name>m{i}</name><value><int>{i}</int></value></member>")) +
            "</struct></value></param></params>");
        var parser = new XmlRpcParser(new XmlRpcParserOptions { MaxCollectionCount = 2 });
        Assert.Equal(2, parser.Parse(Struct(2)).Params[0].Count);
        Assert.Contains("MaxCollectionCount", Assert.Throws<XmlRpcParseException>(() => parser.Parse(Struct(3))).Message, StringComparison.Ordinal);

        // An array inside a struct has its own count.
        var nested = "<params><param><value><struct><member><name>a</name><value><array><data><value/><value/></data></array></value></member></struct></value></param></params>";
        Assert.Equal(2, parser.Parse(Encoding.UTF8.GetBytes(nested)).Params[0]["a"].Count);
    }

    [Fact]
    public void ManyDistinctMemberNamesParse()
    {
        // No quadratic behaviour or hash flooding with many members (string hashing is randomised in .NET).
        var doc = "<params><param><value><struct>" + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"<member><name>m{i}</name><value><int>{i}</int></value></member>")) + "</struct></value></param></params>";
        var watch = Stopwatch.StartNew();
        var value = XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(doc)).Params[0];
        Assert.Equal(100_000, value.Count);
        Assert.Equal(XmlRpcValue.FromInt32(99_999), value["m99999"]);
        Assert.True(watch.Elapsed < Quick, $"took {watch.Elapsed}");
    }

    [Fact]
    public void InvalidUtf8IsRefused()
    {
        byte[] doc = [.. "<params><param><value>"u8, 0xC3, 0x28, .. "</value></param></params>"u8];
        Assert.Equal(XmlRpcParseErrorKind.InvalidCharacter, Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(doc)).Kind);
        byte[] surrogate = [.. "<params><param><value>"u8, 0xED, 0xA0, 0x80, .. "</value></param></params>"u8];
        Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(surrogate));
    }

    private static XmlRpcParseException Measure(Action parse, out long allocated)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<XmlRpcParseException>(parse);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(watch.Elapsed < Quick, $"took {watch.Elapsed}");
        return e;
    }

    /// <summary>A stream of a prefix then the same byte forever, counting what was read.</summary>
    private sealed class EndlessStream(byte[] prefix, byte fill) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, 64 * 1024);
            for (var i = 0; i < n; i++)
            {
                var position = BytesRead + i;
                buffer[i] = position < prefix.Length ? prefix[position] : fill;
            }

            BytesRead += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
