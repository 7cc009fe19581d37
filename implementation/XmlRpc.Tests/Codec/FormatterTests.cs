using System.Numerics;
using System.Text;
using XmlRpc.Protocol;
using Xunit;

namespace XmlRpc.Tests.Codec;

/// <summary>
/// The writer against CPython's exact bytes. Every expected string below is CPython 3.11 output quoted in
/// docs/cpython-wire.md §1 (templates §1.1, values §1.2, escaping §1.3, encodings §1.4, floats §1.5,
/// base64 §1.6, dates §1.7, Appendix A) — never our own output.
/// </summary>
public sealed class FormatterTests
{
    private static string Request(XmlRpcRequest request, XmlRpcFormatterOptions? options = null) =>
        Encoding.UTF8.GetString(new XmlRpcFormatter(options).FormatRequest(request));

    private static string Response(XmlRpcValue value, XmlRpcFormatterOptions? options = null) =>
        Encoding.UTF8.GetString(new XmlRpcFormatter(options).FormatResponse(XmlRpcResponse.Success(value)));

    private static string Value(XmlRpcValue value, XmlRpcFormatterOptions? options = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        new XmlRpcFormatter(options).WriteValue(buffer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void ADateTimesTextIsWrittenAsCPythonWritesIt()
    {
        // CPython 3.11: dumps((DateTime('2024>01'),), methodresponse=True) (observed): DateTime.encode writes its text as it is.
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><dateTime.iso8601>2024>01</dateTime.iso8601></value>\n</param>\n</params>\n</methodResponse>\n",
            Response(XmlRpcValue.FromDateTimeText("2024>01")));

        // CPython would write '&' and '<' raw too, which no parser reads back: escaped here.
        Assert.Contains("<dateTime.iso8601>a&amp;b&lt;c>d</dateTime.iso8601>", Response(XmlRpcValue.FromDateTimeText("a&b<c>d")), StringComparison.Ordinal);
    }

    [Fact]
    public void RequestWithoutParamsMatchesCPython() =>
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>m</methodName>\n<params>\n</params>\n</methodCall>\n",
            Request(XmlRpcRequest.Create("m")));

    [Fact]
    public void RequestWithOneIntMatchesCPython() =>
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>m</methodName>\n<params>\n<param>\n<value><int>1</int></value>\n</param>\n</params>\n</methodCall>\n",
            Request(XmlRpcRequest.Create("m", 1)));

    [Fact]
    public void ResponseMatchesCPython() =>
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>1</int></value>\n</param>\n</params>\n</methodResponse>\n",
            Response(1));

    [Fact]
    public void FaultMatchesCPython() =>
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>42</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Test &lt;Fault&gt; &amp; co</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
            Encoding.UTF8.GetString(XmlRpcFormatter.Default.FormatFault(new XmlRpcFault(42, "Test <Fault> & co"))));

    [Fact]
    public void NilParamHasNoTrailingNewline() =>
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>echo</methodName>\n<params>\n<param>\n<value><nil/></value></param>\n</params>\n</methodCall>\n",
            Request(XmlRpcRequest.Create("echo", XmlRpcValue.Nil)));

    [Theory]
    [InlineData(true, "<value><boolean>1</boolean></value>\n")]
    [InlineData(false, "<value><boolean>0</boolean></value>\n")]
    public void BooleanMatchesCPython(bool value, string expected) => Assert.Equal(expected, Value(value));

    [Theory]
    [InlineData(2147483647, "<value><int>2147483647</int></value>\n")]
    [InlineData(-2147483648, "<value><int>-2147483648</int></value>\n")]
    public void IntMatchesCPython(int value, string expected) => Assert.Equal(expected, Value(value));

    [Fact]
    public void ContainersMatchCPython()
    {
        Assert.Equal("<value><array><data>\n<value><nil/></value><value><int>1</int></value>\n</data></array></value>\n", Value(XmlRpcValue.Array(XmlRpcValue.Nil, 1)));
        Assert.Equal("<value><array><data>\n</data></array></value>\n", Value(XmlRpcValue.Array()));
        Assert.Equal("<value><struct>\n</struct></value>\n", Value(XmlRpcValue.Struct()));
        Assert.Equal(
            "<value><struct>\n<member>\n<name>b</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>a</name>\n<value><string>x</string></value>\n</member>\n</struct></value>\n",
            Value(XmlRpcValue.Struct(("b", 1), ("a", "x"))));
        Assert.Equal(
            "<value><struct>\n<member>\n<name>a</name>\n<value><array><data>\n<value><int>1</int></value>\n<value><struct>\n<member>\n<name>b</name>\n<value><array><data>\n<value><boolean>1</boolean></value>\n</data></array></value>\n</member>\n</struct></value>\n</data></array></value>\n</member>\n</struct></value>\n",
            Value(XmlRpcValue.Struct(("a", XmlRpcValue.Array(1, XmlRpcValue.Struct(("b", XmlRpcValue.Array(true))))))));
    }

    [Fact]
    public void StringEscapesOnlyAmpersandAndAngleBrackets() =>
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>a&amp;b&lt;c&gt;d\"e'f</string></value>\n</param>\n</params>\n</methodResponse>\n",
            Response("a&b<c>d\"e'f"));

    [Fact]
    public void CdataEndIsEscapedByTheGreaterThan() => Assert.Equal("<value><string>]]&gt;</string></value>\n", Value("]]>"));

    [Fact]
    public void TabNewlineAndSpacesAreWrittenRaw() => Assert.Equal("<value><string> a\tb\nc </string></value>\n", Value(" a\tb\nc "));

    [Fact]
    public void CarriageReturnIsWrittenAsCharacterReference() =>
        // Deviation: CPython writes \r raw and the receiver reads \n (XML 1.0 §2.11).
        Assert.Equal("<value><string>a&#13;b&#13;\nc</string></value>\n", Value("a\rb\r\nc"));

    [Theory]
    [InlineData("a\u0000b", 0x0)]
    [InlineData("\u0001", 0x1)]
    [InlineData("x\u0008", 0x8)]
    [InlineData("\u000b", 0xB)]
    [InlineData("\u000c", 0xC)]
    [InlineData("\u001f", 0x1F)]
    [InlineData("\ufffe", 0xFFFE)]
    [InlineData("\uffff", 0xFFFF)]
    public void CharactersXmlCannotCarryAreRefused(string text, int code)
    {
        var e = Assert.Throws<XmlRpcFormatException>(() => Value(text));
        Assert.Contains($"U+{code:X4}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoneSurrogatesAreRefused()
    {
        // Built in code: attribute arguments cannot carry lone surrogates (they become U+FFFD in metadata).
        foreach (var text in new[] { "a" + (char)0xD800 + "b", ((char)0xDC00).ToString(), "end" + (char)0xD83D, (char)0xDE00 + "x" + (char)0xD83D })
        {
            Assert.Contains("surrogate", Assert.Throws<XmlRpcFormatException>(() => Value(text)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void InvalidCharacterInStructNameOrMethodNameIsRefused()
    {
        Assert.Throws<XmlRpcFormatException>(() => Value(XmlRpcValue.Struct(("a\u0002", 1))));
        Assert.Throws<XmlRpcFormatException>(() => Request(XmlRpcRequest.Create("m\u0000")));
    }

    [Fact]
    public void AllowedControlLikeCharactersPass() =>
        Assert.Equal("<value><string>\u007f\u0085\u2028\ufeff\ud835\udd18</string></value>\n", Value("\u007f\u0085\u2028\ufeff\ud835\udd18"));

    [Fact]
    public void MethodNameIsEscaped() =>
        // Deviation: CPython <= 3.13 writes <methodName>a<b&c</methodName> (gh-148954).
        Assert.Contains("<methodName>a&lt;b&amp;c&gt;</methodName>", Request(XmlRpcRequest.Create("a<b&c>")), StringComparison.Ordinal);

    // docs/cpython-wire.md §1.5, every row.
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e16, "1.5e+16")]
    [InlineData(9999999999999998.0, "9999999999999998.0")]
    [InlineData(12345678901234567890.0, "1.2345678901234567e+19")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-05, "1.5e-05")]
    [InlineData(-1.25e-10, "-1.25e-10")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(9007199254740992.0, "9007199254740992.0")]
    [InlineData(9223372036854775808.0, "9.223372036854776e+18")]
    [InlineData(123.456, "123.456")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    [InlineData(1e-07, "1e-07")]
    [InlineData(7283.43, "7283.43")]
    [InlineData(2.2250738585072014e-308, "2.2250738585072014e-308")]
    [InlineData(1e100, "1e+100")]
    public void DoubleIsPythonRepr(double value, string expected)
    {
        Assert.Equal(expected, XmlRpcFormatter.FormatDouble(value));
        Assert.Equal($"<value><double>{expected}</double></value>\n", Value(value));
    }

    [Theory]
    [InlineData(1e-07, "0.0000001")]
    [InlineData(1e16, "10000000000000000.0")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.1, "0.1")]
    public void PositionalDoublesHaveNoExponent(double value, string expected) =>
        Assert.Equal($"<value><double>{expected}</double></value>\n", Value(value, new XmlRpcFormatterOptions { DoubleFormat = XmlRpcDoubleFormat.Positional }));

    [Fact]
    public void PositionalDoublesRefuseNonFinite() =>
        Assert.Throws<XmlRpcFormatException>(() => Value(double.NaN, new XmlRpcFormatterOptions { DoubleFormat = XmlRpcDoubleFormat.Positional }));

    // §1.6
    [Theory]
    [InlineData(0, "<value><base64>\n</base64></value>\n")]
    [InlineData(57, "<value><base64>\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\n</base64></value>\n")]
    [InlineData(58, "<value><base64>\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\nOQ==\n</base64></value>\n")]
    public void Base64IsWrappedLikeEncodebytes(int length, string expected) =>
        Assert.Equal(expected, Value(Enumerable.Range(0, length).Select(i => (byte)i).ToArray()));

    [Fact]
    public void Base64ShortValuesMatchCPython()
    {
        Assert.Equal("<value><base64>\nAP8=\n</base64></value>\n", Value(new byte[] { 0x00, 0xFF }));
        Assert.Equal("<value><base64>\nbXkgZG9nIGhhcyBmbGVhcw==\n</base64></value>\n", Value(Encoding.ASCII.GetBytes("my dog has fleas")));
    }

    [Fact]
    public void Base64OfManyLinesEndsEachLine()
    {
        var text = Value(Enumerable.Range(0, 120).Select(i => (byte)i).ToArray());
        Assert.StartsWith("<value><base64>\nAAEC", text, StringComparison.Ordinal);
        Assert.EndsWith("Njc4\nOTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3Bx\ncnN0dXZ3\n</base64></value>\n", text, StringComparison.Ordinal);
    }

    // §1.7
    [Theory]
    [InlineData(2005, 2, 10, 11, 41, 23, 999, "20050210T11:41:23")]
    [InlineData(1, 2, 3, 4, 5, 6, 0, "00010203T04:05:06")]
    [InlineData(999, 2, 3, 4, 5, 6, 0, "09990203T04:05:06")]
    public void DateTimeIsCompactIsoWithFractionTruncated(int y, int mo, int d, int h, int mi, int s, int ms, string expected) =>
        Assert.Equal($"<value><dateTime.iso8601>{expected}</dateTime.iso8601></value>\n", Value(new DateTime(y, mo, d, h, mi, s, ms, DateTimeKind.Utc)));

    [Fact]
    public void IntegersBeyond32BitsAreRefusedByDefault()
    {
        Assert.Throws<XmlRpcFormatException>(() => Value(XmlRpcValue.FromInt64(2147483648)));
        Assert.Throws<XmlRpcFormatException>(() => Value(XmlRpcValue.FromInt64(-2147483649)));
        Assert.Throws<XmlRpcFormatException>(() => Value(XmlRpcValue.FromBigInteger(BigInteger.Pow(2, 99))));
        Assert.Equal("<value><int>5</int></value>\n", Value(XmlRpcValue.FromInt64(5)));
        Assert.Equal("<value><int>7</int></value>\n", Value(XmlRpcValue.FromBigInteger(7)));
    }

    [Fact]
    public void I8OptionWritesI8()
    {
        var options = new XmlRpcFormatterOptions { Int64Tag = XmlRpcInt64Tag.I8 };
        Assert.Equal("<value><i8>9876543210</i8></value>\n", Value(XmlRpcValue.FromInt64(9876543210), options));
        Assert.Equal("<value><i8>5</i8></value>\n", Value(XmlRpcValue.FromInt64(5), options));
        Assert.Equal("<value><int>5</int></value>\n", Value(5, options));
        Assert.Throws<XmlRpcFormatException>(() => Value(XmlRpcValue.FromBigInteger(BigInteger.Pow(2, 70)), options));
    }

    [Fact]
    public void I4OptionWritesI4() =>
        Assert.Equal("<value><i4>5</i4></value>\n", Value(5, new XmlRpcFormatterOptions { UseI4Tag = true }));

    [Fact]
    public void NilIsRefusedWhenNotAllowed() =>
        Assert.Contains("allow_none", Assert.Throws<XmlRpcFormatException>(() => Value(XmlRpcValue.Nil, new XmlRpcFormatterOptions { AllowNil = false })).Message, StringComparison.Ordinal);

    [Fact]
    public void BigDecimalIsParseOnly() =>
        Assert.Throws<XmlRpcFormatException>(() => Value(XmlRpcValue.FromBigDecimalText("1.5")));

    [Fact]
    public void OverflowMessagesGiveAdviceThatHelps()
    {
        // ulong.MaxValue with Int64Tag = I8 already set was told to "Set Int64Tag = I8".
        var i8 = new XmlRpcFormatter(new XmlRpcFormatterOptions { Int64Tag = XmlRpcInt64Tag.I8 });
        var beyond = Assert.Throws<XmlRpcFormatException>(() => i8.FormatResponse(XmlRpcResponse.Success(XmlRpcValue.FromBigInteger(ulong.MaxValue)))).Message;
        Assert.Contains("64 bits", beyond, StringComparison.Ordinal);
        Assert.DoesNotContain("Set XmlRpcFormatterOptions.Int64Tag", beyond, StringComparison.Ordinal);

        var huge = Assert.Throws<XmlRpcFormatException>(() => XmlRpcFormatter.Default.FormatResponse(XmlRpcResponse.Success(XmlRpcValue.FromBigInteger(BigInteger.Pow(2, 70))))).Message;
        Assert.DoesNotContain("Set XmlRpcFormatterOptions.Int64Tag", huge, StringComparison.Ordinal);

        var int64 = Assert.Throws<XmlRpcFormatException>(() => XmlRpcFormatter.Default.FormatResponse(XmlRpcResponse.Success(XmlRpcValue.FromInt64(1L << 40)))).Message;
        Assert.Contains("Set XmlRpcFormatterOptions.Int64Tag = I8", int64, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepValuesAreRefusedNotOverflowed()
    {
        var value = XmlRpcValue.Array();
        for (var i = 0; i < 10_000; i++)
        {
            value = XmlRpcValue.Array(value);
        }

        Assert.Throws<XmlRpcFormatException>(() => Value(value));
    }

    [Fact]
    public void ARaisedDepthLimitIsAFormatErrorNotAStackOverflow()
    {
        // With MaxDepth = 1 000 000, 100 000 nested arrays (or structs) overflowed the stack and killed the process.
        var array = XmlRpcValue.Array();
        var structure = XmlRpcValue.Struct();
        for (var i = 0; i < 100_000; i++)
        {
            array = XmlRpcValue.Array(array);
            structure = XmlRpcValue.Struct(("a", structure));
        }

        var formatter = new XmlRpcFormatter(new XmlRpcFormatterOptions { MaxDepth = 1_000_000 });
        foreach (var value in new[] { array, structure })
        {
            var e = Assert.IsType<XmlRpcFormatException>(SmallStack.Run(() => formatter.FormatResponse(XmlRpcResponse.Success(value))));
            Assert.Contains("too deep for this thread's stack", e.Message, StringComparison.Ordinal);
        }

        // What fits is still written.
        Assert.Null(SmallStack.Run(() => formatter.FormatResponse(XmlRpcResponse.Success(XmlRpcValue.Array(XmlRpcValue.Array(1))))));
    }

    // §1.4: dumps(("é€𝔘<",), "têšt", encoding=E).encode(E, 'xmlcharrefreplace')
    [Theory]
    [InlineData("iso-8859-1", "<?xml version='1.0' encoding='iso-8859-1'?>\n<methodCall>\n<methodName>t\\xea&#353;t</methodName>\n<params>\n<param>\n<value><string>\\xe9&#8364;&#120088;&lt;</string></value>\n</param>\n</params>\n</methodCall>\n")]
    [InlineData("ascii", "<?xml version='1.0' encoding='ascii'?>\n<methodCall>\n<methodName>t&#234;&#353;t</methodName>\n<params>\n<param>\n<value><string>&#233;&#8364;&#120088;&lt;</string></value>\n</param>\n</params>\n</methodCall>\n")]
    [InlineData("iso-8859-15", "<?xml version='1.0' encoding='iso-8859-15'?>\n<methodCall>\n<methodName>t\\xea\\xa8t</methodName>\n<params>\n<param>\n<value><string>\\xe9\\xa4&#120088;&lt;</string></value>\n</param>\n</params>\n</methodCall>\n")]
    [InlineData("utf-8", "<?xml version='1.0'?>\n<methodCall>\n<methodName>t\\xc3\\xaa\\xc5\\xa1t</methodName>\n<params>\n<param>\n<value><string>\\xc3\\xa9\\xe2\\x82\\xac\\xf0\\x9d\\x94\\x98&lt;</string></value>\n</param>\n</params>\n</methodCall>\n")]
    public void EncodingsMatchCPython(string encoding, string pythonBytes)
    {
        var actual = new XmlRpcFormatter(new XmlRpcFormatterOptions { EncodingName = encoding })
            .FormatRequest(XmlRpcRequest.Create("t\u00ea\u0161t", "\u00e9\u20ac\U0001D518<"));
        Assert.Equal(PythonBytes(pythonBytes), actual);
    }

    // dumps((TEXT,), methodresponse=True, encoding=E).encode(E, 'xmlcharrefreplace'): CPython's tables, not .NET's
    // (.NET writes U+0081 as byte 0x81 in windows-1252, which CPython's codec leaves undefined, and has no euro sign in iso-8859-7).
    [Theory]
    [InlineData("windows-1252", "\u20ac\u0081\u00e9", "\\x80&#129;\\xe9")]
    [InlineData("iso-8859-7", "\u20ac\u0081\U0001D518", "\\xa4\\x81&#120088;")]
    public void SingleByteEncodingsWriteWithCPythonsTable(string encoding, string text, string pythonString)
    {
        var actual = new XmlRpcFormatter(new XmlRpcFormatterOptions { EncodingName = encoding }).FormatResponse(XmlRpcResponse.Success(text));
        Assert.Equal(
            PythonBytes($"<?xml version='1.0' encoding='{encoding}'?>\n<methodResponse>\n<params>\n<param>\n<value><string>{pythonString}</string></value>\n</param>\n</params>\n</methodResponse>\n"),
            actual);
        Assert.Equal(XmlRpcValue.FromString(text), XmlRpcParser.Default.ParseResponse(actual).Value);
    }

    [Fact]
    public void UpperCaseUtf8NameGetsADeclarationLikeCPython() =>
        Assert.StartsWith("<?xml version='1.0' encoding='UTF-8'?>\n", Request(XmlRpcRequest.Create("m"), new XmlRpcFormatterOptions { EncodingName = "UTF-8" }), StringComparison.Ordinal);

    [Fact]
    public void AppendixA2Iso885915MatchesCPython()
    {
        var actual = new XmlRpcFormatter(new XmlRpcFormatterOptions { EncodingName = "iso-8859-15" })
            .FormatRequest(XmlRpcRequest.Create("method\u20ac\u00a4", XmlRpcValue.Struct(("key\u20ac\u00a4", "value\u20ac\u00a4"))));
        Assert.Equal(
            PythonBytes("<?xml version='1.0' encoding='iso-8859-15'?>\n<methodCall>\n<methodName>method\\xa4&#164;</methodName>\n<params>\n<param>\n<value><struct>\n<member>\n<name>key\\xa4&#164;</name>\n<value><string>value\\xa4&#164;</string></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodCall>\n"),
            actual);
    }

    // dumps(('\u00e9',), methodresponse=True, encoding=E).encode(E): only the utf_16 codec writes a byte order mark.
    [Theory]
    [InlineData("utf-16", true, false)]
    [InlineData("UTF-16", true, false)]
    [InlineData("utf-16le", false, false)]
    [InlineData("utf-16be", false, true)]
    public void Utf16IsWrittenWithAByteOrderMarkLikeCPython(string encoding, bool byteOrderMark, bool bigEndian)
    {
        var actual = new XmlRpcFormatter(new XmlRpcFormatterOptions { EncodingName = encoding }).FormatResponse(XmlRpcResponse.Success("\u00e9"));
        var text = $"<?xml version='1.0' encoding='{encoding}'?>\n<methodResponse>\n<params>\n<param>\n<value><string>\u00e9</string></value>\n</param>\n</params>\n</methodResponse>\n";
        byte[] expected = [.. (byteOrderMark ? new byte[] { 0xFF, 0xFE } : []), .. (bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode).GetBytes(text)];
        Assert.Equal(expected, actual);
        Assert.Equal(XmlRpcValue.FromString("\u00e9"), XmlRpcParser.Default.ParseResponse(actual).Value);
    }

    [Theory]
    [InlineData("utf-32")]
    [InlineData("UTF-32BE")]
    [InlineData("utf-32le")]
    public void Utf32IsRefusedBecauseNoParserReadsIt(string encoding) =>
        Assert.Contains("UTF-32", Assert.Throws<ArgumentException>(() => new XmlRpcFormatter(new XmlRpcFormatterOptions { EncodingName = encoding })).Message, StringComparison.Ordinal);

    [Fact]
    public void UnknownEncodingIsRejectedAtConstruction() =>
        Assert.Throws<ArgumentException>(() => new XmlRpcFormatter(new XmlRpcFormatterOptions { EncodingName = "x-foo" }));

    [Fact]
    public async Task StreamWriteIsAllOrNothing()
    {
        using var stream = new MemoryStream();
        await Assert.ThrowsAsync<XmlRpcFormatException>(() => XmlRpcFormatter.Default.WriteRequestAsync(stream, XmlRpcRequest.Create("m", 1, "\u0000"), TestContext.Current.CancellationToken));
        Assert.Equal(0, stream.Length);
        await XmlRpcFormatter.Default.WriteResponseAsync(stream, XmlRpcResponse.Success(1), TestContext.Current.CancellationToken);
        Assert.Equal(XmlRpcFormatter.Default.FormatResponse(XmlRpcResponse.Success(1)), stream.ToArray());
    }

    [Fact]
    public void LongStringsCrossBufferBoundaries()
    {
        var text = string.Concat(Enumerable.Repeat("ab\u00e9\u20ac\U0001D518<&>", 20_000));
        var expected = "<value><string>" + text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal) + "</string></value>\n";
        Assert.Equal(expected, Value(text));
    }

    /// <summary>A Python bytes literal body (<c>\xNN</c> escapes, everything else Latin-1) as bytes.</summary>
    private static byte[] PythonBytes(string literal)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < literal.Length; i++)
        {
            if (literal[i] == '\\' && literal[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(literal.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.Add((byte)literal[i]);
            }
        }

        return [.. bytes];
    }
}
