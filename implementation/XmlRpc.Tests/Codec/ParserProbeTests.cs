using System.Numerics;
using System.Text;
using Xunit;

namespace XmlRpc.Tests.Codec;

/// <summary>
/// CPython's parser probe table (docs/cpython-wire.md Appendix B and §2): each input with the result CPython
/// 3.11 returned (<c>loads(data)</c>) or the exception it raised. Our parser must decode to the same values and reject
/// what CPython rejects.
/// </summary>
public sealed class ParserProbeTests
{

    public static TheoryData<string, string, XmlRpcValue[]?, string?> Probes() => new()
    {
        { "no type tag", P("abc"), [XmlRpcValue.FromString("abc")], null },
        { "no type tag ws", P("  a b  "), [XmlRpcValue.FromString("  a b  ")], null },
        { "empty value", P(string.Empty), [XmlRpcValue.FromString(string.Empty)], null },
        { "empty value selfclosing", "<params><param><value/></param></params>", [XmlRpcValue.FromString(string.Empty)], null },
        { "empty string tag", P("<string></string>"), [XmlRpcValue.FromString(string.Empty)], null },
        { "string selfclosing", P("<string/>"), [XmlRpcValue.FromString(string.Empty)], null },
        { "string ws kept", P("<string>  x  </string>"), [XmlRpcValue.FromString("  x  ")], null },
        { "ws around type tag", P("\n  <int>5</int>\n  "), [5], null },
        { "ws inside int", P("<int> 5 </int>"), [5], null },
        { "ws/newline inside int", P("<int>\n5\n</int>"), [5], null },
        { "int plus sign", P("<int>+5</int>"), [5], null },
        { "int leading zeros", P("<int>007</int>"), [7], null },
        { "int underscore", P("<int>1_000</int>"), [1000], null },
        { "int empty", P("<int></int>"), null, null },
        { "int hex", P("<int>0x10</int>"), null, null },
        { "int double underscore", P("<int>1__0</int>"), null, null },
        { "int trailing underscore", P("<int>1_</int>"), null, null },
        { "int out of 32-bit range", P("<int>99999999999</int>"), [XmlRpcValue.FromInt64(99999999999)], null },
        { "i4 huge", P("<i4>99999999999999999999999</i4>"), [XmlRpcValue.FromBigInteger(BigInteger.Parse("99999999999999999999999", System.Globalization.CultureInfo.InvariantCulture))], null },
        { "i1", P("<i1>205</i1>"), [205], null },
        { "i2", P("<i2>20561</i2>"), [20561], null },
        { "i8", P("<i8>9876543210</i8>"), [XmlRpcValue.FromInt64(9876543210)], null },
        { "biginteger", P("<biginteger>98765432100123456789</biginteger>"), [XmlRpcValue.FromBigInteger(BigInteger.Parse("98765432100123456789", System.Globalization.CultureInfo.InvariantCulture))], null },
        { "int arabic-indic digits", P("<int>\u0661\u0662</int>"), [12], null },
        { "boolean 1", P("<boolean>1</boolean>"), [true], null },
        { "boolean 0", P("<boolean>0</boolean>"), [false], null },
        { "boolean true", P("<boolean>true</boolean>"), null, null },
        { "boolean ws", P("<boolean> 1 </boolean>"), null, null },
        { "boolean empty", P("<boolean></boolean>"), null, null },
        { "double", P("<double>46093.78125</double>"), [46093.78125], null },
        { "double ws", P("<double> 1.5 </double>"), [1.5], null },
        { "double inf", P("<double>inf</double>"), [double.PositiveInfinity], null },
        { "double -Infinity", P("<double>-Infinity</double>"), [double.NegativeInfinity], null },
        { "double nan", P("<double>NaN</double>"), [double.NaN], null },
        { "double exp", P("<double>1e5</double>"), [100000.0], null },
        { "double underscore", P("<double>1_0.5</double>"), [10.5], null },
        { "double leading point", P("<double>.5</double>"), [0.5], null },
        { "double comma", P("<double>1,5</double>"), null, null },
        { "double empty", P("<double></double>"), null, null },
        { "float", P("<float>93.78125</float>"), [93.78125], null },
        { "bigdecimal", P("<bigdecimal>9876543210.0123456789</bigdecimal>"), [XmlRpcValue.FromBigDecimalText("9876543210.0123456789")], null },
        { "bigdecimal bad", P("<bigdecimal>abc</bigdecimal>"), null, null },
        { "nil", P("<nil/>"), [XmlRpcValue.Nil], null },
        { "nil with content", P("<nil>x</nil>"), [XmlRpcValue.Nil], null },
        { "ex:nil", P("<ex:nil/>"), [XmlRpcValue.Nil], null },
        { "ex:nil with xmlns", "<params xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\"><param><value><ex:nil/></value></param></params>", [XmlRpcValue.Nil], null },
        { "ex:i8", P("<ex:i8>5</ex:i8>"), [5], null },
        { "foo:int", P("<foo:int>5</foo:int>"), [5], null },
        { "xmlns default ns", "<methodResponse xmlns=\"urn:x\"><params><param><value><int>5</int></value></param></params></methodResponse>", [5], null },
        { "base64", P("<base64>AGJ5dGUgc3RyaW5n/w==</base64>"), [Bytes("\0byte string\u00ff")], null },
        { "base64 wrapped ws", P("<base64>\nAGJ5 dGUg\nc3RyaW5n/w==\n</base64>"), [Bytes("\0byte string\u00ff")], null },
        { "base64 bad padding", P("<base64>AGJ5dGUgc3RyaW5n/w=</base64>"), null, null },
        { "base64 invalid chars", P("<base64>!!!!</base64>"), [Bytes(string.Empty)], null },
        { "base64 urlsafe chars skipped", P("<base64>-_-_</base64>"), [Bytes(string.Empty)], null },
        { "base64 empty", P("<base64></base64>"), [Bytes(string.Empty)], null },
        { "base64 non-ascii", P("<base64>\u00e9</base64>"), null, null },
        { "dateTime", P("<dateTime.iso8601>20050210T11:41:23</dateTime.iso8601>"), [XmlRpcValue.FromDateTimeText("20050210T11:41:23")], null },
        { "dateTime ws", P("<dateTime.iso8601> 20050210T11:41:23 </dateTime.iso8601>"), [XmlRpcValue.FromDateTimeText("20050210T11:41:23")], null },
        { "dateTime dashed", P("<dateTime.iso8601>2005-02-10T11:41:23</dateTime.iso8601>"), [XmlRpcValue.FromDateTimeText("2005-02-10T11:41:23")], null },
        { "dateTime Z", P("<dateTime.iso8601>20050210T11:41:23Z</dateTime.iso8601>"), [XmlRpcValue.FromDateTimeText("20050210T11:41:23Z")], null },
        { "dateTime garbage", P("<dateTime.iso8601>garbage</dateTime.iso8601>"), [XmlRpcValue.FromDateTimeText("garbage")], null },
        { "array", P("<array><data><value><int>1</int></value><value><int>2</int></value></data></array>"), [XmlRpcValue.Array(1, 2)], null },
        { "array empty", P("<array><data></data></array>"), [XmlRpcValue.Array()], null },
        { "array no data", P("<array></array>"), [XmlRpcValue.Array()], null },
        { "array selfclosing data", P("<array><data/></array>"), [XmlRpcValue.Array()], null },
        { "array untyped values", P("<array><data><value>a</value><value></value></data></array>"), [XmlRpcValue.Array("a", string.Empty)], null },
        { "struct", P("<struct><member><name>b</name><value><int>2</int></value></member><member><name>a</name><value><int>1</int></value></member></struct>"), [XmlRpcValue.Struct(("b", 2), ("a", 1))], null },
        { "struct dup keys", P("<struct><member><name>a</name><value><int>1</int></value></member><member><name>a</name><value><int>2</int></value></member></struct>"), [XmlRpcValue.Struct(("a", 2))], null },
        { "struct empty", P("<struct></struct>"), [XmlRpcValue.Struct()], null },
        { "struct missing value", P("<struct><member><name>a</name></member></struct>"), null, null },
        { "struct name ws", P("<struct><member><name> a </name><value>x</value></member></struct>"), [XmlRpcValue.Struct((" a ", "x"))], null },
        { "struct empty name", P("<struct><member><name></name><value>x</value></member></struct>"), [XmlRpcValue.Struct((string.Empty, "x"))], null },
        { "struct untyped member value", P("<struct><member><name>a</name><value> x </value></member></struct>"), [XmlRpcValue.Struct(("a", " x "))], null },
        { "unknown tag in value", P("<spam/>"), null, null },
        { "unknown tag in value (non-value ctx)", "<params><param><spam><value><int>1</int></value></spam></param></params>", [1], null },
        { "unknown tag inside array", P("<array><data><value><spam/></value></data></array>"), null, null },
        { "data directly in value", P("<data/>"), null, null },
        { "params directly in value", "<params><param><value><params/></value></param></params>", [], null },
        { "array directly in value", P("<array/>"), [XmlRpcValue.Array()], null },
        { "two params", "<params><param><value><int>1</int></value></param><param><value><int>2</int></value></param></params>", [1, 2], null },
        { "params empty", "<params></params>", [], null },
        { "no params elem methodResponse", "<?xml version='1.0'?><methodResponse></methodResponse>", null, null },
        { "methodCall no params", "<methodCall><methodName>foo</methodName></methodCall>", [], "foo" },
        { "methodCall with params", "<methodCall><methodName>foo</methodName><params><param><value><int>1</int></value></param></params></methodCall>", [1], "foo" },
        { "methodName ws", "<methodCall><methodName> foo </methodName><params/></methodCall>", [], " foo " },
        { "methodCall params before name", "<methodCall><params><param><value><int>1</int></value></param></params><methodName>foo</methodName></methodCall>", [1], "foo" },
        { "value name child", P("<name>x</name>"), [XmlRpcValue.FromString("x")], null },
        { "unclosed array", "<params><param><value><array><data><value><int>1</int></value></data></params>", null, null },
        { "empty doc", string.Empty, null, null },
        { "not xml", "hello", null, null },
        { "no root close", "<params><param><value><int>1</int></value></param>", null, null },
        { "junk after root", "<params></params><x/>", null, null },
        { "garbage root tag only", "<foo/>", null, null },
        { "html page", "<html>oops</html>", null, null },
        { "declaration not first", "\n<?xml version=\"1.0\"?><params></params>", null, null },
        { "undefined entity", P("<string>&nbsp;</string>"), null, null },
        { "charref nul", P("<string>&#65;&#x42;&#0;</string>"), null, null },
        { "charref ok", P("<string>&#65;&#x42;&#x1F600;</string>"), [XmlRpcValue.FromString("AB\U0001F600")], null },
        { "charref CR kept", P("<string>a&#13;b</string>"), [XmlRpcValue.FromString("a\rb")], null },
        { "literal CR normalised", P("<string>a\rb\r\nc</string>"), [XmlRpcValue.FromString("a\nb\nc")], null },
        { "predefined entities", P("<string>&amp;&lt;&gt;&quot;&apos;</string>"), [XmlRpcValue.FromString("&<>\"'")], null },
        { "CDATA", P("<string><![CDATA[<a&b>]]></string>"), [XmlRpcValue.FromString("<a&b>")], null },
        { "comment inside value", P("<string>a<!--c-->b</string>"), [XmlRpcValue.FromString("ab")], null },
        { "bad comment", P("<string>a<!--c--c-->b</string>"), null, null },
        { "PI", "<?xml version=\"1.0\"?><?pi x?><params><param><value><int>1</int></value></param></params>", [1], null },
        { "raw control char", P("<string>a\u0001b</string>"), null, null },
        { "cdata end in text", P("<string>a]]>b</string>"), null, null },
        { "value with mixed content", P("ab<int>5</int>cd"), [5], null },
        { "param with 2 values", "<params><param><value><int>1</int></value><value><int>2</int></value></param></params>", [1, 2], null },
        { "value nested value", P("<value><int>1</int></value>"), [1], null },
        { "case sensitive Int", P("<Int>1</Int>"), null, null },
        { "attributes ignored", P("<int foo=\"bar\">5</int>"), [5], null },
        { "unquoted attribute", "<params a=b></params>", null, null },
        { "duplicate attribute", "<params a='1' a='2'></params>", null, null },
        { "mismatched tag", P("<int>1</i4>"), null, null },
        { "version 1.1", "<?xml version=\"1.1\"?><params><param><value><int>1</int></value></param></params>", [1], null },
        { "standalone", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><params></params>", [], null },
        { "fault then params", "<methodResponse><fault><value><int>1</int></value></fault><params><param><value><int>2</int></value></param></params></methodResponse>", [1, 2], null },
        { "text child replaces data", P("<string>a<x/>b</string>"), [XmlRpcValue.FromString("b")], null },
        { "value before name", P("<struct><member><value><int>1</int></value><name>a</name></member></struct>"), null, null },
    };

    [Theory]
    [MemberData(nameof(Probes))]
    public void ParserDecodesLikeCPython(string probe, string document, XmlRpcValue[]? expected, string? methodName)
    {
        _ = probe;
        if (expected is null)
        {
            var e = Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(document)));
            Assert.True(e.LineNumber >= 1 && e.LinePosition >= 1, $"no position in: {e.Message}");
            return;
        }

        var message = XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(document));
        Assert.False(message.IsFault);
        Assert.Equal(methodName, message.MethodName);
        Assert.Equal(expected, message.Params, XmlRpcValueOrdered.Instance);
    }

    // CPython 3.11 (C _decimal): str(loads(doc, use_builtin_types=True)[0][0]) for <bigdecimal>TEXT</bigdecimal>, or InvalidOperation.
    [Theory]
    [InlineData("_1", "1")]
    [InlineData("1_", "1")]
    [InlineData("1__0", "10")]
    [InlineData("1__", "1")]
    [InlineData("6E34_", "6E+34")]
    [InlineData("nan_1", "NaN1")]
    [InlineData("snan_1_2", "sNaN12")]
    [InlineData("in_f", "Infinity")]
    [InlineData("-_1", "-1")]
    [InlineData("_-1", "-1")]
    [InlineData("1._5", "1.5")]
    [InlineData("._5", "0.5")]
    [InlineData("1e_+5", "1E+5")]
    [InlineData(" _1 ", "1")]
    [InlineData("1_ ", "1")]
    [InlineData("1_2_3.4_5e1_0", "1.2345E+12")]
    [InlineData("_", null)]
    [InlineData("__", null)]
    [InlineData("._", null)]
    [InlineData("_e5", null)]
    [InlineData("1e_", null)]
    [InlineData("1 _", null)]
    [InlineData("_ 1", null)]
    public void BigDecimalUnderscoresAreDroppedLikeCPythonsDecimal(string text, string? expected)
    {
        var document = Encoding.UTF8.GetBytes(P("<bigdecimal>" + text + "</bigdecimal>"));
        if (expected is null)
        {
            Assert.Equal(XmlRpcParseErrorKind.InvalidValue, Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(document)).Kind);
            return;
        }

        Assert.Equal(expected, XmlRpcParser.Default.Parse(document).Params[0].AsBigDecimalText());
    }

    [Fact]
    public void FaultsDecodeLikeCPython()
    {
        static string Fault(string code, string rest = "") =>
            "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name><value>" + code +
            "</value></member><member><name>faultString</name><value><string>Too many</string></value></member>" + rest + "</struct></value></fault></methodResponse>";

        var plain = XmlRpcParser.Default.ParseResponse(Encoding.UTF8.GetBytes(Fault("<int>4</int>")));
        Assert.Equal(new Protocol.XmlRpcFault(4, "Too many"), plain.Fault);

        var extra = XmlRpcParser.Default.ParseResponse(Encoding.UTF8.GetBytes(Fault("<int>4</int>", "<member><name>extra</name><value>1</value></member>")));
        Assert.Equal(4, extra.Fault!.Code);
        Assert.Equal(XmlRpcValue.FromString("1"), extra.Fault.Value!["extra"]);

        var stringCode = XmlRpcParser.Default.ParseResponse(Encoding.UTF8.GetBytes(Fault("<string>4</string>")));
        Assert.Equal(4, stringCode.Fault!.Code);
        Assert.Equal(XmlRpcValue.FromString("4"), stringCode.Fault.Value!["faultCode"]);

        Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(
            "<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member></struct></value></fault></methodResponse>")));
        Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(
            "<methodResponse><fault><value><string>oops</string></value></fault></methodResponse>")));
    }

    [Fact]
    public void ErrorsCarryLineAndPosition()
    {
        var e = Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes("<params>\n<param>\n<value><spam/></value></param></params>")));
        Assert.Equal(3, e.LineNumber);
        Assert.Equal(8, e.LinePosition);
        Assert.Equal(XmlRpcParseErrorKind.InvalidMessage, e.Kind);
        Assert.Contains("unknown tag 'spam'", e.Message, StringComparison.Ordinal);

        var mismatched = Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes("<params><param><value><int>1</i4>")));
        Assert.Equal(XmlRpcParseErrorKind.NotWellFormed, mismatched.Kind);
        Assert.Contains("mismatched tag", mismatched.Message, StringComparison.Ordinal);
        Assert.Equal(31, mismatched.LinePosition); // the name in "</i4>", where expat reports it (column 30, 0-based)
        Assert.Equal("xml.parsers.expat.ExpatError", mismatched.PythonType);
        Assert.Equal("mismatched tag: line 1, column 30", mismatched.PythonMessage);
        Assert.Equal("xmlrpc.client.ResponseError", e.PythonType);
        Assert.Equal("ResponseError(\"unknown tag 'spam'\")", e.PythonMessage);
    }

    [Theory]
    [InlineData("<params><param><value><int></int></value></param></params>", "ValueError", "invalid literal for int() with base 10: ''")]
    [InlineData("<params><param><value><boolean>true</boolean></value></param></params>", "TypeError", "bad boolean value")]
    [InlineData("<params><param><value><struct><member><name>a</name></member></struct></value></param></params>", "IndexError", "list index out of range")]
    [InlineData("<params><param><value><base64>A!!!</base64></value></param></params>", "binascii.Error", "Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4")]
    [InlineData("<params><param><value><base64>\u00e9\u00e9 a</base64></value></param></params>", "UnicodeEncodeError", "'ascii' codec can't encode characters in position 0-1: ordinal not in range(128)")]
    [InlineData("<params>\u00e9\U0001F600\u0001</params>", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 10")]
    [InlineData("<?xml version='1.0' encoding=''?><params/>", "xml.parsers.expat.ExpatError", "XML declaration not well-formed: line 1, column 30")]
    [InlineData("<fault><value><int>1</int></value></fault>", "TypeError", "xmlrpc.client.Fault() argument after ** must be a mapping, not int")]
    [InlineData("<foo/>", "xmlrpc.client.ResponseError", "ResponseError()")]
    public void ErrorsCarryCPythonsExceptionWordForWord(string document, string type, string message)
    {
        // Each expected text is what CPython 3.11.7 (expat 2.5.0) raises for the document (observed, not derived).
        var e = Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(document)));
        Assert.Equal(type, e.PythonType);
        Assert.Equal(message, e.PythonMessage);
    }

    [Theory]
    [InlineData("", 4301, "&#13;99999999", "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits")]
    [InlineData(" +", 4301, "x", "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits")]
    [InlineData("-", 4301, " ", "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits")]
    [InlineData("", 4301, "__9", "invalid literal for int() with base 10: '999")]
    [InlineData("", 4301, "_", "invalid literal for int() with base 10: '999")]
    [InlineData("", 4290, "_x99999999999999999999", "invalid literal for int() with base 10: '999")]
    public void TheDigitLimitCountsTheRunOfDigitsCPythonReads(string before, int digits, string after, string expected)
    {
        // CPython 3.11's loads() of <int>before + '9' * digits + after</int> (observed): the run of digits is read first (a
        // misplaced '_' is an invalid literal), then counted against the limit, then what follows it must be the end.
        var document = $"<params><param><value><int>{before}{new string('9', digits)}{after}</int></value></param></params>";

        var e = Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(document)));

        Assert.Equal("ValueError", e.PythonType);
        Assert.StartsWith(expected, e.PythonMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("27", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 0")]
    [InlineData("3c21", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 0")]
    [InlineData("3c782f3e3c", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 4")]
    [InlineData("3c3f6c3f3e3c3f786d6c", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 5")]
    [InlineData("3c783e3c3f786d6c", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 3")]
    [InlineData("3c782f3e3c3f786d6c3f3e", "xml.parsers.expat.ExpatError", "junk after document element: line 1, column 4")]
    [InlineData("efbbbf23", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 1")]
    [InlineData("3c3f786d6c20c3", "xml.parsers.expat.ExpatError", "partial character: line 1, column 0")]
    [InlineData("3cf490", "xml.parsers.expat.ExpatError", "partial character: line 1, column 0")]
    [InlineData("3cefbbbf", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 1")]
    [InlineData("3c3f6c3f3e3c653e3c2fefbbbf3e", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 10")]
    [InlineData("3c3fefbbbf3e", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 2")]
    [InlineData("3c61f09f98802f3e", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 2")]
    [InlineData("3c3f786d6c2076657273696f6e3d27312e302720656e636f64696e673d2775732d6173636969273f3e3c653e3c76616c75653e3c653eaf", "xmlrpc.client.ResponseError", "ResponseError(\"unknown tag 'e'\")")]
    [InlineData("3c3f786d6c2076657273696f6e3d27312e302720656e636f64696e673d2775732d6173636969273f3e6f0afa", "xml.parsers.expat.ExpatError", "syntax error: line 1, column 41")]
    [InlineData("3c3f786d6c2076657273696f6e3d27312e302720656e636f64696e673d2777696e646f77732d31323532273f3e653c90", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 46")]
    [InlineData("3c3f786d6c2076657273696f6e3d27312e302720656e636f64696e673d2775732d6173636969273f3e3c6d0da9", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 2, column 0")]
    [InlineData("00", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 0")]
    [InlineData("efbb", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 0")]
    [InlineData("6500", "xml.parsers.expat.ExpatError", "syntax error: line 1, column 0")]
    [InlineData("fffe3c0061003e0078", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 4")]
    [InlineData("3c0061003e0000dc3c002f0061003e00", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 3")]
    [InlineData("2761626301", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 4")]
    [InlineData("3c212d2d616263c3", "xml.parsers.expat.ExpatError", "partial character: line 1, column 0")]
    [InlineData("3c782f3e25", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 4")]
    [InlineData("3c782f3e5d5d", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 4")]
    [InlineData("3c782f3e276127", "xml.parsers.expat.ExpatError", "junk after document element: line 1, column 4")]
    [InlineData("3c613e3c2178", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 5")]
    [InlineData("3c612f3ef5", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 4")]
    [InlineData("3c612f3e2378", "xml.parsers.expat.ExpatError", "junk after document element: line 1, column 4")]
    [InlineData("3c2178", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 0")]
    [InlineData("3c763e3c215b43444154415b80", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 12")]
    [InlineData("3c763e3c215b43444154415b6162e282", "xml.parsers.expat.ExpatError", "partial character: line 1, column 14")]
    [InlineData("3c763e3c215b43444154415b6101", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 13")]
    [InlineData("3c763e3c215b43444154415b616263", "xml.parsers.expat.ExpatError", "unclosed CDATA section: line 1, column 15")]
    [InlineData("3c763e3c215b43444154415b615d5d", "xml.parsers.expat.ExpatError", "unclosed CDATA section: line 1, column 13")]
    [InlineData("3c763e3c215b43444154415b615d", "xml.parsers.expat.ExpatError", "unclosed CDATA section: line 1, column 13")]
    [InlineData("3c763e3c215b43444154415b615d5d5d", "xml.parsers.expat.ExpatError", "unclosed CDATA section: line 1, column 14")]
    [InlineData("3c763e3c215b43444154415b615d5d78", "xml.parsers.expat.ExpatError", "unclosed CDATA section: line 1, column 16")]
    [InlineData("3c763e3c215b43444154415b61eda080", "xml.parsers.expat.ExpatError", "not well-formed (invalid token): line 1, column 13")]
    [InlineData("3c3f6c3f3e3c6d3e26", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 8")]
    [InlineData("3c6d3e26", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 3")]
    [InlineData("3c6d3e612623", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 4")]
    [InlineData("3c3f6c3f3e0a3c6d3e26", "xml.parsers.expat.ExpatError", "unclosed token: line 2, column 3")]
    [InlineData("3c212d2d2078202d2d3e3c6d3e26", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 13")]
    [InlineData("3c6d3e3c3f6c3f3e26", "xml.parsers.expat.ExpatError", "unclosed token: line 1, column 8")]
    [InlineData("3c6d3e0d", "xml.parsers.expat.ExpatError", "no element found: line 1, column 3")]
    [InlineData("3c6d3e0d0d", "xml.parsers.expat.ExpatError", "no element found: line 2, column 0")]
    [InlineData("3c6d3e0d0a", "xml.parsers.expat.ExpatError", "no element found: line 2, column 0")]
    [InlineData("3c6d3e610d0d620d", "xml.parsers.expat.ExpatError", "no element found: line 3, column 1")]
    [InlineData("3c6d3e3c6e2f3e0d", "xml.parsers.expat.ExpatError", "no element found: line 1, column 7")]
    [InlineData("0d", "xml.parsers.expat.ExpatError", "no element found: line 2, column 0")]
    public void ErrorsOfCutTokensNameCharactersAndOtherEncodingsAreCPythonsWordForWord(string hex, string type, string message)
    {
        // Documents as bytes (hex): tokens cut short outside and inside the root, partial characters, expat's XML 1.0
        // 4th-edition name characters (no U+FEFF, nothing above U+FFFF), 8-bit documents whose undefined byte comes
        // after an earlier error, UTF-16 guessed from a NUL byte, unpaired surrogates, an odd last byte. Each expected
        // text is what CPython 3.11.7 (expat 2.5.0) xmlrpc.client.loads raises for the bytes (observed, not derived).
        var e = Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Convert.FromHexString(hex)));
        Assert.Equal(type, e.PythonType);
        Assert.Equal(message, e.PythonMessage);
    }

    [Theory]
    [InlineData("<?xml version='0.0'?><params/>")]
    [InlineData("<?xml version='x'?><params/>")]
    [InlineData("<?xml version=''?><params/>")]
    public void AnyXmlVersionIsReadAsExpatReadsIt(string document) =>
        Assert.Empty(XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(document)).Params);

    [Fact]
    public void BadBooleanSaysWhatWasWrong() =>
        Assert.Contains("bad boolean value", Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(P("<boolean>true</boolean>")))).Message, StringComparison.Ordinal);

    // §2.6 encodings
    [Fact]
    public void EncodingsAreDecoded()
    {
        var utf8Bom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(P("<string>\u00e9</string>"))).ToArray();
        Assert.Equal(XmlRpcValue.FromString("\u00e9"), XmlRpcParser.Default.Parse(utf8Bom).Params[0]);

        var utf16 = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + P("\u00e9"))).ToArray();
        Assert.Equal(XmlRpcValue.FromString("\u00e9"), XmlRpcParser.Default.Parse(utf16).Params[0]);

        var utf16Be = new byte[] { 0xFE, 0xFF }.Concat(Encoding.BigEndianUnicode.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + P("\u20ac"))).ToArray();
        Assert.Equal(XmlRpcValue.FromString("\u20ac"), XmlRpcParser.Default.Parse(utf16Be).Params[0]);

        var latin1 = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" + P("\u00e9"));
        Assert.Equal(XmlRpcValue.FromString("\u00e9"), XmlRpcParser.Default.Parse(latin1).Params[0]);

        var cp1252 = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"windows-1252\"?>" + P("X")).Select(b => b == (byte)'X' ? (byte)0x80 : b).ToArray();
        Assert.Equal(XmlRpcValue.FromString("\u20ac"), XmlRpcParser.Default.Parse(cp1252).Params[0]);

        var iso15 = Encoding.ASCII.GetBytes("<?xml version='1.0' encoding='iso-8859-15'?>" + P("X")).Select(b => b == (byte)'X' ? (byte)0xA4 : b).ToArray();
        Assert.Equal(XmlRpcValue.FromString("\u20ac"), XmlRpcParser.Default.Parse(iso15).Params[0]);
    }

    [Fact]
    public void BadEncodingsAreRejected()
    {
        var noDeclaration = Encoding.Latin1.GetBytes(P("\u00e9"));
        Assert.Equal(XmlRpcParseErrorKind.InvalidCharacter, Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(noDeclaration)).Kind);

        var unknown = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"x-foo\"?><params></params>");
        Assert.Equal(XmlRpcParseErrorKind.UnsupportedEncoding, Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(unknown)).Kind);

        var shiftJis = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"shift_jis\"?>" + P("X"));
        Assert.Equal(XmlRpcParseErrorKind.UnsupportedEncoding, Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(shiftJis)).Kind);

        var utf7 = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"utf-7\"?><params></params>");
        Assert.Equal(XmlRpcParseErrorKind.UnsupportedEncoding, Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(utf7)).Kind);

        var asciiHigh = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ascii\"?>" + P("\u00e9"));
        Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(asciiHigh));
    }

    // CPython 3.11: loads(BOM + ("<?xml version='1.0' encoding='E'?>" + doc).encode('utf-16-le' or 'utf-16-be'))
    [Theory]
    [InlineData(false, true, "utf-8")]
    [InlineData(false, true, "iso-8859-1")]
    [InlineData(false, true, "us-ascii")]
    [InlineData(false, true, "windows-1252")]
    [InlineData(false, true, "utf-16be")]
    [InlineData(false, true, "utf16")]
    [InlineData(false, true, "utf_16")]
    [InlineData(true, true, "utf-8")]
    [InlineData(true, true, "iso-8859-1")]
    [InlineData(true, true, "UTF-16LE")]
    [InlineData(false, false, "utf-8")]
    [InlineData(false, false, "utf-16be")]
    [InlineData(true, false, "utf-16le")]
    public void Utf16WithAMismatchedDeclarationIsRejectedLikeCPython(bool bigEndian, bool byteOrderMark, string declared)
    {
        var e = Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(Utf16Document(bigEndian, byteOrderMark, declared)));
        Assert.Equal(XmlRpcParseErrorKind.UnsupportedEncoding, e.Kind);
        Assert.Contains("encoding specified in XML declaration is incorrect", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true, "utf-16")]
    [InlineData(false, true, "UTF-16")]
    [InlineData(false, true, "utf-16le")]
    [InlineData(true, true, "utf-16")]
    [InlineData(true, true, "Utf-16BE")]
    [InlineData(false, false, "utf-16le")]
    [InlineData(true, false, "utf-16")]
    [InlineData(false, true, null)]
    public void Utf16WithAMatchingDeclarationIsReadLikeCPython(bool bigEndian, bool byteOrderMark, string? declared) =>
        Assert.Equal(XmlRpcValue.FromString("\u00e9"), XmlRpcParser.Default.Parse(Utf16Document(bigEndian, byteOrderMark, declared)).Params[0]);

    [Fact]
    public void TextWithALeadingByteOrderMarkIsReadLikeCPython()
    {
        // loads('\ufeff' + doc) reads the document; a second U+FEFF is "not well-formed (invalid token)".
        Assert.Equal(XmlRpcValue.FromString("x"), XmlRpcParser.Default.Parse("\uFEFF" + P("x")).Params[0]);
        Assert.Equal(XmlRpcValue.FromString("x"), XmlRpcParser.Default.Parse("\uFEFF<?xml version='1.0'?>" + P("x")).Params[0]);
        Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse("\uFEFF\uFEFF" + P("x")));
        Assert.Equal(XmlRpcValue.FromString("a\uFEFFb"), XmlRpcParser.Default.Parse(P("a\uFEFFb")).Params[0]);
    }

    // CPython 3.11: bytes([b]).decode('cp1252') raises (character maps to <undefined>) and loads() reports "not well-formed (invalid token)".
    [Theory]
    [InlineData("windows-1252", 0x81)]
    [InlineData("windows-1252", 0x8D)]
    [InlineData("windows-1252", 0x8F)]
    [InlineData("cp1252", 0x90)]
    [InlineData("cp1252", 0x9D)]
    [InlineData("windows-1250", 0x98)]
    [InlineData("iso-8859-3", 0xA5)]
    public void BytesUndefinedInCPythonsCodecAreRejectedLikeCPython(string encoding, byte undefined)
    {
        var e = Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.Parse(SingleByteDocument(encoding, undefined)));
        Assert.Equal(XmlRpcParseErrorKind.InvalidCharacter, e.Kind);
        Assert.Contains("not well-formed (invalid token)", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.LineNumber);
    }

    // CPython 3.11: loads() of the byte in a <string>; .NET's tables differ (an older iso-8859-7, koi8-u box drawing, ...).
    [Theory]
    [InlineData("windows-1252", 0x80, "\u20ac")]
    [InlineData("iso-8859-7", 0xA4, "\u20ac")]
    [InlineData("koi8-u", 0xAE, "\u255d")]
    [InlineData("iso-8859-8", 0xFD, "\u200e")]
    public void SingleByteDocumentsAreDecodedWithCPythonsTable(string encoding, byte b, string expected) =>
        Assert.Equal(XmlRpcValue.FromString(expected), XmlRpcParser.Default.Parse(SingleByteDocument(encoding, b)).Params[0]);

    [Fact]
    public void TextInputIgnoresTheDeclaredEncoding() =>
        Assert.Equal(
            XmlRpcValue.FromString("\u20ac"),
            XmlRpcParser.Default.Parse("<?xml version='1.0' encoding='iso-8859-15'?>" + P("\u20ac")).Params[0]);

    [Fact]
    public void ResponseWithSeveralParamsBecomesAnArrayLikeCPythonsTuple()
    {
        Assert.Equal(XmlRpcValue.Array(1, 2), XmlRpcParser.Default.ParseResponse(Encoding.UTF8.GetBytes(
            "<methodResponse><params><param><value><int>1</int></value></param><param><value><int>2</int></value></param></params></methodResponse>")).Value);
        Assert.Equal(XmlRpcValue.Array(), XmlRpcParser.Default.ParseResponse(Encoding.UTF8.GetBytes("<methodResponse><params/></methodResponse>")).Value);
    }

    [Fact]
    public void RequestNeedsAMethodName()
    {
        Assert.Throws<XmlRpcParseException>(() => XmlRpcParser.Default.ParseRequest(Encoding.UTF8.GetBytes("<methodResponse><params/></methodResponse>")));
        var request = XmlRpcParser.Default.ParseRequest(Encoding.UTF8.GetBytes("<methodCall><methodName>a.b</methodName><params><param><value>x</value></param></params></methodCall>"));
        Assert.Equal(Protocol.XmlRpcRequest.Create("a.b", "x"), request);
    }

    [Fact]
    public void TryParseDoubleFollowsPythonFloat()
    {
        Assert.True(XmlRpcParser.TryParseDouble(" 1_0.5 ", out var d) && d == 10.5);
        Assert.True(XmlRpcParser.TryParseDouble("-iNfInItY", out d) && double.IsNegativeInfinity(d));
        Assert.True(XmlRpcParser.TryParseDouble("1e400", out d) && double.IsPositiveInfinity(d));
        Assert.True(XmlRpcParser.TryParseDouble("5.", out d) && d == 5.0);
        Assert.False(XmlRpcParser.TryParseDouble("_1", out _));
        Assert.False(XmlRpcParser.TryParseDouble("1._5", out _));
        Assert.False(XmlRpcParser.TryParseDouble("0x10", out _));
        Assert.False(XmlRpcParser.TryParseDouble("1e", out _));
        Assert.False(XmlRpcParser.TryParseDouble(".", out _));
    }

    [Fact]
    public void DoubleTextOfAnyLengthIsReadLikeCPythonsFloat()
    {
        // CPython 3.11 float(): each of these (over 100 000 characters) is a number; we refused them.
        static double Read(string text) => XmlRpcParser.Default.Parse(Encoding.UTF8.GetBytes(P("<double>" + text + "</double>"))).Params[0].AsDouble();
        Assert.Equal(1.3333333333333333, Read("1." + new string('3', 200_000)));
        Assert.Equal(double.PositiveInfinity, Read("1e" + new string('9', 200_000)));
        Assert.Equal(0.0, Read("1e-" + new string('9', 200_000)));
        Assert.Equal(10000.0, Read("0." + new string('0', 200_000) + "1e200005"));
        Assert.Equal(1.0, Read("1" + new string('0', 200_000) + "e-200000"));
        Assert.Equal(double.PositiveInfinity, Read(string.Concat(Enumerable.Repeat("1_", 100_000)) + "1"));
        Assert.True(XmlRpcParser.TryParseDouble(" -" + new string('0', 150_000) + "2.5 ", out var d) && d == -2.5);
    }

    private static byte[] SingleByteDocument(string encoding, byte b) =>
        [.. Encoding.ASCII.GetBytes($"<?xml version='1.0' encoding='{encoding}'?><params><param><value><string>"), b, .. Encoding.ASCII.GetBytes("</string></value></param></params>")];

    private static byte[] Utf16Document(bool bigEndian, bool byteOrderMark, string? declared)
    {
        var text = (declared is null ? "<?xml version='1.0'?>" : $"<?xml version='1.0' encoding='{declared}'?>") + P("<string>\u00e9</string>");
        byte[] bom = !byteOrderMark ? [] : bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE];
        return [.. bom, .. (bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode).GetBytes(text)];
    }

    private static string P(string valueContent) => "<params><param><value>" + valueContent + "</value></param></params>";

    private static XmlRpcValue Bytes(string latin1) => XmlRpcValue.FromBase64(Encoding.Latin1.GetBytes(latin1));
}

/// <summary>Compares values with struct member order counting (parsers must keep the received order).</summary>
internal sealed class XmlRpcValueOrdered : IEqualityComparer<XmlRpcValue>
{
    public static XmlRpcValueOrdered Instance { get; } = new();

    public bool Equals(XmlRpcValue? x, XmlRpcValue? y) => x is null ? y is null : x.Equals(y, orderedStructs: true);

    public int GetHashCode(XmlRpcValue obj) => obj.GetHashCode();
}
