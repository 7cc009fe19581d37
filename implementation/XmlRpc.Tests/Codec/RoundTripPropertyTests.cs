using System.Numerics;
using System.Text;
using CsCheck;
using XmlRpc.Protocol;
using Xunit;

namespace XmlRpc.Tests.Codec;

/// <summary>Random values: what the writer writes, the parser reads back equal (struct order included).</summary>
public sealed class RoundTripPropertyTests
{
    /// <summary>Characters XML 1.0 can carry, with the interesting ones over-represented.</summary>
    private static readonly Gen<string> Text = Gen.OneOf(
            Gen.Char["abcxyz019 <>&'\"\t\n\r]é€\u0085\u2028"],
            Gen.Char['\u0020', '\uD7FF'],
            Gen.Char['\uE000', '\uFFFD'])
        .Array[0, 12]
        .Select(chars => new string(chars))
        .SelectMany(s => Gen.Bool.Select(astral => astral ? s + "\U0001D518" : s));

    private static readonly Gen<XmlRpcValue> Scalar = Gen.OneOf(
        Gen.Int.Select(XmlRpcValue.FromInt32),
        Gen.Long.Select(XmlRpcValue.FromInt64),
        Gen.Bool.Select(XmlRpcValue.FromBoolean),
        Text.Select(XmlRpcValue.FromString),
        Gen.Double.Select(XmlRpcValue.FromDouble),
        Gen.Long.Select(bits => XmlRpcValue.FromDouble(BitConverter.Int64BitsToDouble(bits))),
        Gen.DateTime.Select(XmlRpcValue.FromDateTime),
        Gen.Byte.Array[0, 130].Select(b => XmlRpcValue.FromBase64(b)),
        Gen.Const(XmlRpcValue.Nil));

    private static readonly Gen<XmlRpcValue> Values = Gen.Recursive<XmlRpcValue>((depth, inner) =>
        depth >= 4
            ? Scalar
            : Gen.Frequency(
                (4, (IGen<XmlRpcValue>)Scalar),
                (1, inner.Array[0, 5].Select(items => XmlRpcValue.Array(items))),
                (1, Gen.Select(Text, inner).Array[0, 5].Select(members => XmlRpcValue.Struct(members.Select(m => new KeyValuePair<string, XmlRpcValue>(m.Item1, m.Item2)))))));

    private static readonly XmlRpcFormatter I8Formatter = new(new XmlRpcFormatterOptions { Int64Tag = XmlRpcInt64Tag.I8 });

    [Fact]
    public void WrittenValuesParseBackEqual() =>
        Values.Array[0, 4].Sample(
            parameters =>
            {
                var request = new XmlRpcRequest("m.x", parameters);
                var bytes = I8Formatter.FormatRequest(request);
                var parsed = XmlRpcParser.Default.ParseRequest(bytes);
                Assert.Equal("m.x", parsed.MethodName);
                Assert.Equal(parameters, parsed.Params, XmlRpcValueOrdered.Instance);
            },
            iter: 2000);

    [Fact]
    public void WrittenResponsesParseBackEqual() =>
        Values.Sample(
            value =>
            {
                var parsed = XmlRpcParser.Default.ParseResponse(I8Formatter.FormatResponse(XmlRpcResponse.Success(value)));
                Assert.True(value.Equals(parsed.Value, orderedStructs: true), $"{value} became {parsed.Value}");
            },
            iter: 2000);

    [Fact]
    public void FaultsRoundTrip() =>
        Gen.Select(Gen.Int, Text).Sample(
            (code, message) =>
            {
                var parsed = XmlRpcParser.Default.ParseResponse(XmlRpcFormatter.Default.FormatFault(new XmlRpcFault(code, message)));
                Assert.Equal(new XmlRpcFault(code, message), parsed.Fault);
            },
            iter: 1000);

    [Fact]
    public void TextInOtherEncodingsRoundTrips() =>
        Text.Sample(
            text =>
            {
                foreach (var encoding in new[] { "iso-8859-1", "ascii", "iso-8859-15", "windows-1252" })
                {
                    var formatter = new XmlRpcFormatter(new XmlRpcFormatterOptions { EncodingName = encoding });
                    var parsed = XmlRpcParser.Default.ParseRequest(formatter.FormatRequest(XmlRpcRequest.Create(text, text)));
                    Assert.Equal(text, parsed.MethodName);
                    Assert.Equal(XmlRpcValue.FromString(text), parsed.Params[0]);
                }
            },
            iter: 300);

    [Fact]
    public void DoublesRoundTripThroughPythonRepr() =>
        Gen.Long.Sample(
            bits =>
            {
                var d = BitConverter.Int64BitsToDouble(bits);
                Assert.True(XmlRpcParser.TryParseDouble(XmlRpcFormatter.FormatDouble(d), out var back));
                Assert.True(BitConverter.DoubleToInt64Bits(back) == bits || (double.IsNaN(d) && double.IsNaN(back)));
            },
            iter: 20_000);

    [Fact]
    public void IntegerTextOfAnySizeParses() =>
        Gen.Int[1, 60].SelectMany(n => Gen.Char['0', '9'].Array[n]).Select(d => new string(d)).Sample(
            digits =>
            {
                var doc = Encoding.UTF8.GetBytes($"<params><param><value><int> +{digits}\n</int></value></param></params>");
                Assert.Equal(BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), XmlRpcParser.Default.Parse(doc).Params[0].AsBigInteger());
            },
            iter: 2000);

    [Fact]
    public void ShortDecimalTextParsesToTheCorrectlyRoundedDouble() =>
        Gen.Select(Gen.Long[0, 999_999_999_999_999], Gen.Int[0, 25], Gen.Bool).Sample(
            (mantissa, fractionDigits, negative) =>
            {
                var digits = mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(fractionDigits + 1, '0');
                var text = (negative ? "-" : string.Empty) + digits[..^fractionDigits] + (fractionDigits > 0 ? "." + digits[^fractionDigits..] : string.Empty);
                var doc = Encoding.UTF8.GetBytes($"<params><param><value><double>{text}</double></value></param></params>");
                var expected = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(XmlRpcParser.Default.Parse(doc).Params[0].AsDouble()));
            },
            iter: 20_000);

    [Fact]
    public void Base64InAnyLineLayoutDecodesToTheSameBytes() =>
        Gen.Select(Gen.Byte.Array[0, 200], Gen.Int[1, 30], Gen.OneOf(Gen.Const("\n"), Gen.Const(" "), Gen.Const("\n\n"), Gen.Const("\t"), Gen.Const("\r\n"))).Sample(
            (data, quadsPerLine, separator) =>
            {
                var encoded = Convert.ToBase64String(data);
                var lines = Enumerable.Range(0, (encoded.Length + (4 * quadsPerLine) - 1) / (4 * quadsPerLine))
                    .Select(i => encoded.Substring(i * 4 * quadsPerLine, Math.Min(4 * quadsPerLine, encoded.Length - (i * 4 * quadsPerLine))));
                var text = separator + string.Join(separator, lines) + separator;
                var doc = Encoding.UTF8.GetBytes($"<params><param><value><base64>{text}</base64></value></param></params>");
                Assert.Equal(data, XmlRpcParser.Default.Parse(doc).Params[0].AsBase64().ToArray());
            },
            iter: 5000);
}

/// <summary>Broken documents: every prefix and random byte edits of valid documents either parse or fail with <see cref="XmlRpcParseException"/>, nothing else.</summary>
public sealed class MalformedDocumentPropertyTests
{
    private static readonly byte[] Sample = Encoding.UTF8.GetBytes(
        "<?xml version='1.0' encoding='utf-8'?>\n<!-- c --><?pi x?>\n<methodCall>\n<methodName>a.b</methodName>\n<params>\n" +
        "<param>\n<value><struct>\n<member>\n<name>k&amp;&#x41;</name>\n<value><array><data>\n<value><i4>-7</i4></value>\n" +
        "<value><double>1e-07</double></value>\n<value><boolean>1</boolean></value>\n<value><base64>\nAAE=\n</base64></value>\n" +
        "<value><dateTime.iso8601>20050210T11:41:23</dateTime.iso8601></value>\n<value><ex:nil/></value><value>é€\U0001D518</value>\n" +
        "<value><string a=\"1\" b='&lt;'><![CDATA[<x>]]>\r\n</string></value>\n<value><bigdecimal>1.10</bigdecimal></value>\n" +
        "</data></array></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodCall>\n");

    [Fact]
    public void TheSampleParses() => Assert.Equal("a.b", XmlRpcParser.Default.Parse(Sample).MethodName);

    [Fact]
    public void EveryPrefixFailsCleanly()
    {
        for (var n = 0; n < Sample.Length; n++)
        {
            ParseOrParseException(Sample.AsSpan(0, n).ToArray());
        }
    }

    [Fact]
    public void RandomEditsFailCleanly() =>
        Gen.Select(Gen.Int[0, Sample.Length - 1], Gen.Byte, Gen.Int[0, 2]).Array[1, 4].Sample(
            edits =>
            {
                var bytes = Sample.ToList();
                foreach (var (at, value, how) in edits)
                {
                    var i = Math.Min(at, bytes.Count - 1);
                    switch (how)
                    {
                        case 0:
                            bytes[i] = value;
                            break;
                        case 1:
                            bytes.Insert(i, value);
                            break;
                        default:
                            bytes.RemoveAt(i);
                            break;
                    }
                }

                ParseOrParseException([.. bytes]);
            },
            iter: 20_000);

    private static void ParseOrParseException(byte[] bytes)
    {
        try
        {
            XmlRpcParser.Default.Parse(bytes);
        }
        catch (XmlRpcParseException e)
        {
            Assert.True(e.LineNumber >= 0 && e.LinePosition >= 0);
        }
    }
}
