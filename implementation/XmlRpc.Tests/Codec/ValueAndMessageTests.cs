using System.Numerics;
using System.Text;
using XmlRpc.Protocol;
using Xunit;

namespace XmlRpc.Tests.Codec;

/// <summary>The value model's semantics and the message helpers (faults, multicall).</summary>
public sealed class ValueAndMessageTests
{
    [Theory]
    [InlineData("9999999999999999", 1e16)]
    [InlineData("1152921504606846977", 1.152921504606847e18)]
    [InlineData("-18446744073709552641", -1.8446744073709552e19)]
    [InlineData("18446744073709553665", 1.8446744073709556e19)]
    public void AnIntegerBecomesTheNearestDoubleLikePythonsFloat(string digits, double expected)
    {
        // CPython 3.11: float(int(digits)) (observed); half to even where the integer lies between two doubles.
        var value = XmlRpcValue.FromBigInteger(BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, value.ToDouble());
        Assert.Equal(expected, XmlRpcSerializer.FromValue<double>(value));
    }

    [Fact]
    public void AnIntegerBeyondTheDoublesOverflows()
    {
        Assert.Throws<OverflowException>(() => XmlRpcValue.FromBigInteger(BigInteger.Pow(10, 309)).ToDouble());
        Assert.Equal(0.5, XmlRpcValue.FromDouble(0.5).ToDouble());
        Assert.Throws<InvalidOperationException>(() => XmlRpcValue.FromString("1").ToDouble());
    }

    [Fact]
    public void PythonReprIsCPythonsReprOfTheDecodedValue()
    {
        var value = XmlRpcValue.Array(
            1, "it's", XmlRpcValue.Nil, true, false, 1e16, 0.1, -0.0, double.PositiveInfinity,
            XmlRpcValue.Struct(("k", XmlRpcValue.Array(2.5, "x\ty\u0085")), ("q\"", XmlRpcValue.Struct())),
            XmlRpcValue.FromBigDecimalText("1.50"), "a\"b'c", "\\", "\U0001D518\u200B", XmlRpcValue.FromBigInteger(BigInteger.Pow(2, 70)));

        // CPython 3.11: repr() of the same list built in Python (Decimal('1.50'), 2**70).
        Assert.Equal(
            "[1, \"it's\", None, True, False, 1e+16, 0.1, -0.0, inf, {'k': [2.5, 'x\\ty\\x85'], 'q\"': {}}, Decimal('1.50'), 'a\"b\\'c', '\\\\', '\U0001D518\\u200b', 1180591620717411303424]",
            value.ToPythonRepr());
    }

    [Fact]
    public void PythonReprWritesObjectAddressesAsZero()
    {
        // CPython prints id() here ('<DateTime '20250101T00:00:00' at 0x7f3a2c1b93d0>'), which no other process can reproduce.
        var value = XmlRpcValue.Array(XmlRpcValue.FromDateTimeText("20250101T00:00:00"), XmlRpcValue.FromBase64([0]));

        Assert.Equal("[<DateTime '20250101T00:00:00' at 0x0>, <xmlrpc.client.Binary object at 0x0>]", value.ToPythonRepr());
    }

    [Fact]
    public void IntegersCompareByValueWhateverTheirWidth()
    {
        Assert.Equal(XmlRpcValue.FromInt32(5), XmlRpcValue.FromInt64(5));
        Assert.Equal(XmlRpcValue.FromInt64(5), XmlRpcValue.FromBigInteger(5));
        Assert.Equal(XmlRpcValue.FromInt32(5).GetHashCode(), XmlRpcValue.FromBigInteger(5).GetHashCode());
        Assert.NotEqual(XmlRpcValue.FromInt32(5), XmlRpcValue.FromDouble(5));
        Assert.NotEqual(XmlRpcValue.FromInt32(1), XmlRpcValue.True);
    }

    [Fact]
    public void DoublesCompareByBitsWithNaNEqual()
    {
        Assert.Equal(XmlRpcValue.FromDouble(double.NaN), XmlRpcValue.FromDouble(-double.NaN));
        Assert.NotEqual(XmlRpcValue.FromDouble(0.0), XmlRpcValue.FromDouble(-0.0));
        Assert.Equal(XmlRpcValue.FromDouble(0.1), XmlRpcValue.FromDouble(0.1));
    }

    [Fact]
    public void StructsCompareAsSetsUnlessOrdered()
    {
        var ab = XmlRpcValue.Struct(("a", 1), ("b", 2));
        var ba = XmlRpcValue.Struct(("b", 2), ("a", 1));
        Assert.Equal(ab, ba);
        Assert.Equal(ab.GetHashCode(), ba.GetHashCode());
        Assert.False(ab.Equals(ba, orderedStructs: true));
        Assert.NotEqual(ab, XmlRpcValue.Struct(("a", 1), ("b", 3)));
        Assert.NotEqual(XmlRpcValue.Array(1, 2), XmlRpcValue.Array(2, 1));
    }

    [Fact]
    public void RepeatedStructNamesKeepFirstPositionAndLastValueLikeAPythonDict()
    {
        var s = XmlRpcValue.Struct(("a", 1), ("b", 2), ("a", 3));
        Assert.Equal(2, s.Count);
        Assert.Equal("a", s.AsStruct()[0].Key);
        Assert.Equal(XmlRpcValue.FromInt32(3), s["a"]);
        var many = XmlRpcValue.Struct(Enumerable.Range(0, 20).Select(i => new KeyValuePair<string, XmlRpcValue>("k" + (i % 10), i)));
        Assert.Equal(10, many.Count);
        Assert.Equal(XmlRpcValue.FromInt32(19), many["k9"]);
    }

    [Fact]
    public void DateTimeKeepsTheTextAndOffersAParse()
    {
        var garbage = XmlRpcValue.FromDateTimeText("garbage");
        Assert.Equal("garbage", garbage.AsDateTimeText());
        Assert.False(garbage.TryGetDateTime(out _));

        Assert.True(XmlRpcValue.FromDateTimeText("20050210T11:41:23").TryGetDateTime(out var compact));
        Assert.Equal(new DateTime(2005, 2, 10, 11, 41, 23), compact);
        Assert.True(XmlRpcValue.FromDateTimeText("2005-02-10T11:41:23.5Z").TryGetDateTime(out var zulu));
        Assert.Equal(new DateTime(2005, 2, 10, 11, 41, 23, 500, DateTimeKind.Utc), zulu);
        Assert.True(XmlRpcValue.FromDateTimeText("20050210T11:41:23+01:00").TryGetDateTime(out var offset));
        Assert.Equal(new DateTime(2005, 2, 10, 10, 41, 23, DateTimeKind.Utc), offset);
        Assert.False(XmlRpcValue.FromDateTimeText("20051310T11:41:23").TryGetDateTime(out _));
        Assert.Equal("00010203T04:05:06", XmlRpcValue.FromDateTime(new DateTime(1, 2, 3, 4, 5, 6)).AsDateTimeText());
    }

    [Fact]
    public void AccessorsSayWhatWasExpected()
    {
        var e = Assert.Throws<InvalidOperationException>(() => XmlRpcValue.FromString("x").AsInt32());
        Assert.Contains("an integer", e.Message, StringComparison.Ordinal);
        Assert.Throws<OverflowException>(() => XmlRpcValue.FromInt64(1L << 40).AsInt32());
        Assert.Equal(BigInteger.Pow(2, 99), XmlRpcValue.FromBigInteger(BigInteger.Pow(2, 99)).AsBigInteger());
        Assert.Throws<KeyNotFoundException>(() => XmlRpcValue.Struct()["x"]);
    }

    [Fact]
    public void ImplicitConversionsPickTheNaturalKind()
    {
        XmlRpcValue i = 1, l = 1L, b = true, s = "x", d = 1.5, n = (string?)null, bytes = new byte[] { 1 };
        Assert.Equal(XmlRpcValueKind.Int, i.Kind);
        Assert.Equal(XmlRpcValueKind.I8, l.Kind);
        Assert.Equal(XmlRpcValueKind.Boolean, b.Kind);
        Assert.Equal(XmlRpcValueKind.String, s.Kind);
        Assert.Equal(XmlRpcValueKind.Double, d.Kind);
        Assert.True(n.IsNil);
        Assert.Equal(XmlRpcValueKind.Base64, bytes.Kind);
    }

    [Fact]
    public void Base64FactoryCopiesTheBytes()
    {
        var data = new byte[] { 1, 2, 3 };
        var value = XmlRpcValue.FromBase64(data);
        data[0] = 9;
        Assert.Equal(new byte[] { 1, 2, 3 }, value.AsBase64().ToArray());
    }

    [Fact]
    public void MultiCallRequestMatchesCPythonsMultiCall()
    {
        // docs/cpython-wire.md §4: members methodName then params.
        var request = XmlRpcMultiCall.CreateRequest([XmlRpcRequest.Create("add", 2, 3), XmlRpcRequest.Create("nope")]);
        var text = Encoding.UTF8.GetString(XmlRpcFormatter.Default.FormatRequest(request));
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>system.multicall</methodName>\n<params>\n<param>\n<value><array><data>\n" +
            "<value><struct>\n<member>\n<name>methodName</name>\n<value><string>add</string></value>\n</member>\n<member>\n<name>params</name>\n<value><array><data>\n<value><int>2</int></value>\n<value><int>3</int></value>\n</data></array></value>\n</member>\n</struct></value>\n" +
            "<value><struct>\n<member>\n<name>methodName</name>\n<value><string>nope</string></value>\n</member>\n<member>\n<name>params</name>\n<value><array><data>\n</data></array></value>\n</member>\n</struct></value>\n" +
            "</data></array></value>\n</param>\n</params>\n</methodCall>\n",
            text);
    }

    [Fact]
    public void MultiCallResponseIsReadPerCall()
    {
        // docs/cpython-wire.md §4: [add(2,3), nope(), fault(), echo(1,"a")].
        const string response = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><array><data>\n<value><int>5</int></value>\n</data></array></value>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>&lt;class 'Exception'&gt;:method \"nope\" is not supported</string></value>\n</member>\n</struct></value>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>42</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>custom fault</string></value>\n</member>\n</struct></value>\n<value><array><data>\n<value><array><data>\n<value><int>1</int></value>\n<value><string>a</string></value>\n</data></array></value>\n</data></array></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n";
        var parsed = XmlRpcParser.Default.ParseResponse(Encoding.UTF8.GetBytes(response));
        var results = XmlRpcMultiCall.ReadResults(parsed.Value!);
        Assert.Equal(4, results.Count);
        Assert.Equal(XmlRpcValue.FromInt32(5), results[0].GetValueOrThrow());
        Assert.Equal(new XmlRpcFault(1, "<class 'Exception'>:method \"nope\" is not supported"), results[1].Fault);
        var fault = Assert.Throws<XmlRpcFaultException>(() => results[2].GetValueOrThrow());
        Assert.Equal(42, fault.FaultCode);
        Assert.Equal("custom fault", fault.FaultString);
        Assert.Equal(XmlRpcValue.Array(1, "a"), results[3].Value);

        // And the server side builds exactly those bytes back.
        var rebuilt = XmlRpcMultiCall.CreateResult(results);
        Assert.Equal(response, Encoding.UTF8.GetString(XmlRpcFormatter.Default.FormatResponse(XmlRpcResponse.Success(rebuilt))));
    }

    [Fact]
    public void MultiCallEntriesAreCheckedOneByOne()
    {
        Assert.True(XmlRpcMultiCall.TryReadCall(XmlRpcValue.Struct(("methodName", "add"), ("params", XmlRpcValue.Array(1, 2))), out var call, out _));
        Assert.Equal(XmlRpcRequest.Create("add", 1, 2), call);
        Assert.False(XmlRpcMultiCall.TryReadCall(XmlRpcValue.Struct(("methodName", "echo")), out _, out var error));
        Assert.Contains("params", error, StringComparison.Ordinal);
        Assert.False(XmlRpcMultiCall.TryReadCall(5, out _, out _));
        Assert.Throws<XmlRpcParseException>(() => XmlRpcMultiCall.ReadResults(XmlRpcValue.Array(5)));
        Assert.Throws<XmlRpcParseException>(() => XmlRpcMultiCall.ReadResults(XmlRpcValue.Array(XmlRpcValue.Array())));
    }

    [Fact]
    public void FaultReadingIsAsTolerantAsCPython()
    {
        Assert.True(XmlRpcFault.TryFromValue(XmlRpcValue.Struct(("faultString", "x"), ("faultCode", " 7 "), ("extra", 1)), out var fault, out _));
        Assert.Equal(new XmlRpcFault(7, "x"), fault);
        Assert.Equal(XmlRpcValue.FromString(" 7 "), fault.RawCode);
        Assert.Equal(XmlRpcValueKind.String, fault.RawCode!.Kind);
        Assert.Null(new XmlRpcFault(7, "x").RawCode);
        Assert.Equal("<Fault 42: 'Test Fault'>", new XmlRpcFault(42, "Test Fault").ToString());

        // CPython's Fault(**struct) takes any faultCode: still a fault, the code kept as sent.
        Assert.True(XmlRpcFault.TryFromValue(XmlRpcValue.Struct(("faultCode", "Server.Error"), ("faultString", "x")), out var named, out _));
        Assert.Equal(0, named.Code);
        Assert.Equal("Server.Error", named.RawCode!.AsString());
        Assert.Equal("<Fault Server.Error: 'x'>", named.ToString());
        Assert.True(XmlRpcFault.TryFromValue(XmlRpcValue.Struct(("faultCode", 5_000_000_000L), ("faultString", "y")), out var wide, out _));
        Assert.Equal(0, wide.Code);
        Assert.Equal("<Fault 5000000000: 'y'>", wide.ToString());

        // Without faultString CPython's Fault(**struct) raises TypeError: not a fault.
        Assert.False(XmlRpcFault.TryFromValue(XmlRpcValue.Struct(("faultCode", 1)), out _, out var error));
        Assert.Contains("faultString", error, StringComparison.Ordinal);
    }
}
