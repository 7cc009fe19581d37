using System.Diagnostics;
using System.Text.Json;
using XmlRpc.Client;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Server;

/// <summary>The C# conformance service against its Python twin (python-peers/conformance.py) and Python's semantics.</summary>
public sealed class ConformanceServiceTests(ConformanceServerFixture server)
{
    private const string PythonDocstrings = """
        import json, pydoc, sys
        sys.path.insert(0, sys.argv[1])
        import conformance
        functions = conformance.service_functions(sys.argv[2])
        print(json.dumps(dict((name, pydoc.getdoc(fn)) for name, fn in functions.items())))
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OffersThePythonTwinsMethodsWithItsDocstrings()
    {
        var python = PythonServerProcess.FindPython() ?? throw new InvalidOperationException("python3 is not on PATH.");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", PythonDocstrings, Path.Combine(TestEnvironment.RepositoryRoot, "python-peers"), TestEnvironment.FixturesDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(Token).Bounded();
        await process.WaitForExitAsync(Token).Bounded();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync(Token).Bounded());
        var docstrings = JsonSerializer.Deserialize<Dictionary<string, string>>(output)!;
        using var client = new XmlRpcClient(server.Url);

        var names = (await client.CallAsync("system.listMethods", [], Token).Bounded()).AsArray().Select(v => v.AsString()).ToList();

        Assert.Equal(docstrings.Keys.Order(StringComparer.Ordinal), names.Where(n => !n.StartsWith("system.", StringComparison.Ordinal)));
        foreach (var (name, doc) in docstrings)
        {
            var help = await client.CallAsync("system.methodHelp", [XmlRpcValue.FromString(name)], Token).Bounded();
            Assert.Equal(doc, help.AsString());
        }
    }

    [Theory]
    [InlineData("add", 7, 3, 10)]
    [InlineData("subtract", 7, 3, 4)]
    [InlineData("multiply", 7, 3, 21)]
    [InlineData("divide", 7, 3, 2)]
    [InlineData("divide", -7, 2, -4)]
    [InlineData("divide", 7, -2, -4)]
    [InlineData("divide", -7, -2, 3)]
    public async Task ComputesWithPythonIntegerSemantics(string method, int x, int y, int expected)
    {
        using var client = new XmlRpcClient(server.Url);

        var result = await client.CallAsync(method, [XmlRpcValue.FromInt32(x), XmlRpcValue.FromInt32(y)], Token).Bounded();

        Assert.Equal(XmlRpcValue.FromInt32(expected), result);
        Assert.Equal(XmlRpcValueKind.Int, result.Kind);
    }

    [Fact]
    public async Task MixesTypesLikePython()
    {
        using var client = new XmlRpcClient(server.Url);

        Assert.Equal(XmlRpcValue.FromDouble(3.5), await client.CallAsync("add", [XmlRpcValue.FromInt32(1), XmlRpcValue.FromDouble(2.5)], Token).Bounded());
        Assert.Equal(XmlRpcValue.FromInt32(2), await client.CallAsync("add", [XmlRpcValue.True, XmlRpcValue.True], Token).Bounded());
        Assert.Equal(XmlRpcValue.FromString("Pŷthơn"), await client.CallAsync("add", [XmlRpcValue.FromString("Pŷt"), XmlRpcValue.FromString("hơn")], Token).Bounded());
        Assert.Equal(XmlRpcValue.FromDouble(3.0), await client.CallAsync("divide", [XmlRpcValue.FromDouble(7.5), XmlRpcValue.FromInt32(2)], Token).Bounded());
        var mixed = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("add", [XmlRpcValue.FromInt32(1), XmlRpcValue.FromString("a")], Token)).Bounded();
        Assert.Equal("<class 'TypeError'>:unsupported operand type(s) for +: 'int' and 'str'", mixed.FaultString);
        var zero = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("divide", [XmlRpcValue.FromDouble(1), XmlRpcValue.FromDouble(0)], Token)).Bounded();
        Assert.Equal("<class 'ZeroDivisionError'>:float floor division by zero", zero.FaultString);

    }

    [Theory]
    [InlineData("9999999999999999", "<double>15</double>", "1.0000000000000016e+16")]
    [InlineData("10**50", "<double>1.5</double>", "1e+50")]
    [InlineData("10**400", "<double>1.5</double>", "<class 'OverflowError'>:int too large to convert to float")]
    [InlineData("10**400", "<struct></struct>", "<class 'TypeError'>:unsupported operand type(s) for +: 'int' and 'dict'")]
    public async Task AddsAnIntToAFloatLikePython(string number, string other, string expected)
    {
        // Python 3.11's int + float (observed): the int becomes the nearest float (half to even); one too large for a
        // float overflows, unless the other operand is no number at all. Sent as <i4> with any number of digits, as
        // CPython reads it.
        var digits = number.StartsWith("10**", StringComparison.Ordinal) ? "1" + new string('0', int.Parse(number[4..], System.Globalization.CultureInfo.InvariantCulture)) : number;
        var answer = await RawCallAsync("add", $"<value><i4>{digits}</i4></value>", $"<value>{other}</value>");

        Assert.Equal(expected, answer.IsFault ? answer.Fault.Message : XmlRpcFormatter.FormatDouble(answer.GetValueOrThrow().AsDouble()));
    }

    [Theory]
    [InlineData("<value><bigdecimal>0</bigdecimal></value><value><i8>9999999999</i8></value>", "<class 'TypeError'>:cannot marshal <class 'decimal.Decimal'> objects")]
    [InlineData("<value><i8>9999999999</i8></value><value><bigdecimal>0</bigdecimal></value>", "<class 'OverflowError'>:int exceeds XML-RPC limits")]
    public async Task RefusesWhatCPythonsMarshallerRefusesFirst(string items, string expected)
    {
        // CPython 3.11's echo of [Decimal('0'), 9999999999] and of the reverse (observed): the first item it cannot write.
        var answer = await RawCallAsync("echo", $"<value><array><data>{items}</data></array></value>");

        Assert.Equal(expected, Assert.IsType<XmlRpc.Protocol.XmlRpcFault>(answer.Fault).Message);
    }

    // Values our client does not write (a Decimal, an int of any length in <i4>), sent as CPython reads them.
    private async Task<XmlRpc.Protocol.XmlRpcResponse> RawCallAsync(string method, params string[] values)
    {
        var body = $"<?xml version='1.0'?><methodCall><methodName>{method}</methodName><params>{string.Concat(values.Select(v => $"<param>{v}</param>"))}</params></methodCall>";
        using var http = new HttpClient();
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        using var response = await http.PostAsync(server.Url, content, Token).Bounded();
        return XmlRpcParser.Default.ParseResponse(await response.Content.ReadAsByteArrayAsync(Token).Bounded());
    }

    [Fact]
    public async Task CountsTheEntitiesOfAListLikePythonsListCount()
    {
        // Python 3.11: ['<', '<', 'x', DateTime('<'), Binary(b'<'), 1].count('<') is 3 (a DateTime equals the str of its
        // text, a Binary no str); a dict has no count().
        using var client = new XmlRpcClient(server.Url);
        var list = XmlRpcValue.Array("<", "<", "x", XmlRpcValue.FromDateTimeText("<"), XmlRpcValue.FromBase64("<"u8), 1);

        var counts = await client.CallAsync("validator1.countTheEntities", [list], Token).Bounded();
        var dict = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("validator1.countTheEntities", [XmlRpcValue.Struct()], Token)).Bounded();

        Assert.Equal(XmlRpcValue.FromInt32(3), counts["ctLeftAngleBrackets"]);
        Assert.Equal(XmlRpcValue.FromInt32(0), counts["ctAmpersands"]);
        Assert.Equal("<class 'AttributeError'>:'dict' object has no attribute 'count'", dict.FaultString);
    }

    [Fact]
    public async Task RepeatsAStrOrListTimesAnIntegerLikePython()
    {
        // Python: ['a', 1] * 10 is the list ten times over, 'ab' * 10 the string; True * 10 is 10; a dict cannot be multiplied.
        using var client = new XmlRpcClient(server.Url);
        var list = XmlRpcValue.Array(XmlRpcValue.FromString("a"), XmlRpcValue.FromInt32(1));

        var repeated = await client.CallAsync("validator1.simpleStructReturnTest", [list], Token).Bounded();
        var text = await client.CallAsync("validator1.simpleStructReturnTest", [XmlRpcValue.FromString("ab")], Token).Bounded();
        var flag = await client.CallAsync("validator1.simpleStructReturnTest", [XmlRpcValue.True], Token).Bounded();
        var dict = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("validator1.simpleStructReturnTest", [XmlRpcValue.Struct(("a", XmlRpcValue.FromInt32(1)))], Token)).Bounded();

        Assert.Equal(XmlRpcValue.Array(Enumerable.Repeat(list.AsArray(), 10).SelectMany(i => i)), repeated["times10"]);
        Assert.Equal(2000, repeated["times1000"].Count);
        Assert.Equal(XmlRpcValue.FromString(string.Concat(Enumerable.Repeat("ab", 100))), text["times100"]);
        Assert.Equal(XmlRpcValue.FromInt32(1000), flag["times1000"]);
        Assert.Equal("<class 'TypeError'>:unsupported operand type(s) for *: 'dict' and 'int'", dict.FaultString);
    }

    [Theory]
    [InlineData("'a'", "1", "<class 'TypeError'>:can only concatenate str (not \"int\") to str")]
    [InlineData("'a'", "True", "<class 'TypeError'>:can only concatenate str (not \"bool\") to str")]
    [InlineData("[1]", "'a'", "<class 'TypeError'>:can only concatenate list (not \"str\") to list")]
    [InlineData("'a'", "[1]", "<class 'TypeError'>:can only concatenate str (not \"list\") to str")]
    public async Task ConcatenatesAStrOrListOnlyWithItsOwnTypeLikePython(string x, string y, string expected)
    {
        // Python 3.11's TypeError for x + y (observed).
        static XmlRpcValue Value(string python) => python switch
        {
            "1" => XmlRpcValue.FromInt32(1),
            "True" => XmlRpcValue.True,
            "[1]" => XmlRpcValue.Array(XmlRpcValue.FromInt32(1)),
            _ => XmlRpcValue.FromString(python.Trim('\'')),
        };
        using var client = new XmlRpcClient(server.Url);

        var fault = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("add", [Value(x), Value(y)], Token)).Bounded();

        Assert.Equal(expected, fault.FaultString);
    }

    [Fact]
    public async Task RaisesValueErrorWithStrOfADateTimeOrBinaryLikePython()
    {
        // Python 3.11: str(xmlrpc.client.DateTime('garbage')) and str(xmlrpc.client.Binary(b'\xd6\xf0w5\xaaml')) (observed).
        using var client = new XmlRpcClient(server.Url);

        var date = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("raise_error", [XmlRpcValue.FromDateTimeText("garbage")], Token)).Bounded();
        var binary = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("raise_error", [XmlRpcValue.FromBase64([0xD6, 0xF0, 0x77, 0x35, 0xAA, 0x6D, 0x6C])], Token)).Bounded();

        Assert.Equal("<class 'ValueError'>:garbage", date.FaultString);
        Assert.Equal("<class 'ValueError'>:\u00d6\u00f0w5\u00aaml", binary.FaultString);
    }

    [Theory]
    [InlineData(
        "<value><string>x</string></value>",
        "<value><array><data><value><int>1</int></value></data></array></value>",
        "<value><string>x</string></value>\n</member>\n<member>\n<name>faultString</name>\n<value><array><data>\n<value><int>1</int></value>\n</data></array></value>")]
    [InlineData(
        "<value><boolean>1</boolean></value>",
        "<value><string>a</string></value>",
        "<value><boolean>1</boolean></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>a</string></value>")]
    public async Task AFaultOfAnyCodeAndStringTypeIsMarshalledAsCPythonDoes(string code, string text, string members)
    {
        // CPython 3.11's SimpleXMLRPCDispatcher over the Python twin: fault('x', [1]) and fault(True, 'a') (observed bytes).
        var methods = new XmlRpc.Server.XmlRpcMethodRegistry();
        Conformance.Server.ConformanceService.Register(methods, TestEnvironment.FixturesDirectory);
        var body = System.Text.Encoding.UTF8.GetBytes($"<methodCall><methodName>fault</methodName><params><param>{code}</param><param>{text}</param></params></methodCall>");

        var answer = await new XmlRpc.Server.XmlRpcDispatcher(methods).HandleRequestAsync(body, Token).Bounded();

        Assert.Equal(
            "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n" + members + "\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
            System.Text.Encoding.UTF8.GetString(answer));
    }

    [Fact]
    public async Task RaisesKeyErrorForAMissingStructMember()
    {
        using var client = new XmlRpcClient(server.Url);

        var fault = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("validator1.easyStructTest", [XmlRpcValue.Struct(("moe", 1), ("larry", 2))], Token)).Bounded();

        Assert.Equal("<class 'KeyError'>:'curly'", fault.FaultString);
    }

    [Fact]
    public async Task CapsSleepAndMakeString()
    {
        using var client = new XmlRpcClient(server.Url);

        Assert.Equal(XmlRpcValue.FromDouble(0.01), await client.CallAsync("sleep", [XmlRpcValue.FromDouble(0.01)], Token).Bounded());
        Assert.Equal(string.Empty, (await client.CallAsync("make_string", [XmlRpcValue.FromInt32(-5)], Token).Bounded()).AsString());
        Assert.Equal(3, (await client.CallAsync("make_string", [XmlRpcValue.FromString("3")], Token).Bounded()).AsString().Length);
    }
}
