using System.ComponentModel;
using System.Text;
using XmlRpc.Protocol;
using XmlRpc.Server;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Server;

/// <summary>A user exception with a Python-style class name.</summary>
[XmlRpcExceptionName("srv.MyErr")]
public sealed class MyErrException(string message) : Exception(message);

/// <summary>A service registered as an instance: only its marked methods are offered.</summary>
public sealed class MarkedService
{
    [XmlRpcMethod("math.add")]
    [XmlRpcHelp("Adds two integers.")]
    public int Add(int x, int y) => x + y;

    [XmlRpcMethod]
    [Description("Greets.")]
    public string Greet(string name = "world") => "hello " + name;

    public string NotOffered() => "secret";
}

/// <summary>A service registered as an instance with no marks: every public method is offered.</summary>
public sealed class PlainService
{
    public async Task<string> UpperAsync(string text, CancellationToken cancellationToken)
    {
        await Task.Delay(1, cancellationToken);
        return text.ToUpperInvariant();
    }

    public void Nothing()
    {
    }

    public long Big() => 5_000_000_000;
}

public sealed class DispatcherTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static XmlRpcDispatcher Dispatcher(Action<XmlRpcMethodRegistry> register, XmlRpcServerOptions? options = null)
    {
        var methods = new XmlRpcMethodRegistry();
        register(methods);
        return new XmlRpcDispatcher(methods, options);
    }

    private static async Task<XmlRpcResponse> CallAsync(XmlRpcDispatcher dispatcher, string method, params XmlRpcValue[] parameters)
    {
        var body = XmlRpcFormatter.Default.FormatRequest(new XmlRpcRequest(method, parameters));
        var answer = await dispatcher.HandleRequestAsync(body, Token).Bounded();
        return XmlRpcParser.Default.ParseResponse(answer);
    }

    [Fact]
    public async Task AnswersAnUnknownMethodWithCPythonsExactBytes()
    {
        var dispatcher = Dispatcher(_ => { });

        var answer = await dispatcher.HandleRequestAsync(Encoding.UTF8.GetBytes("<?xml version='1.0'?>\n<methodCall>\n<methodName>nope</methodName>\n<params>\n</params>\n</methodCall>\n"), Token).Bounded();

        Assert.Equal(
            "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>&lt;class 'Exception'&gt;:method \"nope\" is not supported</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
            Encoding.UTF8.GetString(answer));
    }

    [Fact]
    public async Task BindsDelegateParametersByPositionThroughTheClrMapping()
    {
        var dispatcher = Dispatcher(m => m
            .Add("add", (int x, int y) => x + y)
            .Add("join", (string[] parts, string separator) => string.Join(separator, parts))
            .Add("count", (params XmlRpcValue[] values) => values.Length)
            .Add("maybe", (int x, int y = 10) => x * y));

        Assert.Equal(5, (await CallAsync(dispatcher, "add", 2, 3)).Value!.AsInt32());
        Assert.Equal("a-b", (await CallAsync(dispatcher, "join", XmlRpcValue.Array("a", "b"), "-")).Value!.AsString());
        Assert.Equal(3, (await CallAsync(dispatcher, "count", 1, "x", true)).Value!.AsInt32());
        Assert.Equal(0, (await CallAsync(dispatcher, "count")).Value!.AsInt32());
        Assert.Equal(20, (await CallAsync(dispatcher, "maybe", 2)).Value!.AsInt32());
        Assert.Equal(6, (await CallAsync(dispatcher, "maybe", 2, 3)).Value!.AsInt32());
    }

    [Theory]
    [InlineData(0, "<class 'TypeError'>:add() missing 2 required positional arguments: 'x' and 'y'")]
    [InlineData(1, "<class 'TypeError'>:add() missing 1 required positional argument: 'y'")]
    [InlineData(3, "<class 'TypeError'>:add() takes 2 positional arguments but 3 were given")]
    public async Task WordsAWrongArgumentCountLikePython(int count, string expected)
    {
        var dispatcher = Dispatcher(m => m.Add("add", (int x, int y) => x + y));

        var response = await CallAsync(dispatcher, "add", [.. Enumerable.Repeat(XmlRpcValue.FromInt32(1), count)]);

        Assert.Equal(new XmlRpcFault(1, expected), response.Fault);
    }

    [Fact]
    public async Task RefusesAnArgumentOfTheWrongType()
    {
        var dispatcher = Dispatcher(m => m.Add("add", (int x, int y) => x + y));

        var response = await CallAsync(dispatcher, "add", "two", 3);

        Assert.Equal(1, response.Fault!.Code);
        Assert.StartsWith("<class 'TypeError'>:add() argument 1 ('x'): ", response.Fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TurnsExceptionsIntoCPythonFaultsWithDetailedErrors()
    {
        var dispatcher = Dispatcher(
            m => m
                .Add("mine", new Func<int>(() => throw new MyErrException("boom <&>")))
                .Add("dotnet", new Func<int>(() => throw new InvalidOperationException("nope")))
                .Add("fault", new Func<int>(() => throw new XmlRpcFaultException(42, "custom"))),
            new XmlRpcServerOptions { EnableDetailedErrors = true });

        Assert.Equal(new XmlRpcFault(1, "<class 'srv.MyErr'>:boom <&>"), (await CallAsync(dispatcher, "mine")).Fault);
        Assert.Equal(new XmlRpcFault(1, "<class 'System.InvalidOperationException'>:nope"), (await CallAsync(dispatcher, "dotnet")).Fault);
        Assert.Equal(new XmlRpcFault(42, "custom"), (await CallAsync(dispatcher, "fault")).Fault);
    }

    [Fact]
    public async Task HidesAnUnexpectedExceptionFromTheClientByDefaultAndLogsItAtError()
    {
        var logger = new RecordingLogger();
        var methods = new XmlRpcMethodRegistry()
            .Add("dotnet", new Func<int>(() => throw new InvalidOperationException("secret path /etc/app.key")))
            .Add("fault", new Func<int>(() => throw new XmlRpcFaultException(42, "custom")))
            .Add("add", (int x, int y) => x + y);
        var cpython = new XmlRpcDispatcher(methods, null, logger);
        var interop = new XmlRpcDispatcher(methods, new XmlRpcServerOptions { FaultProfile = XmlRpcFaultProfile.Interop });

        Assert.Equal(new XmlRpcFault(1, "<class 'Exception'>:the method failed; the server logged the error"), (await CallAsync(cpython, "dotnet")).Fault);
        Assert.Equal(new XmlRpcFault(-32500, "the method failed; the server logged the error"), (await CallAsync(interop, "dotnet")).Fault);
        Assert.Equal(new XmlRpcFault(42, "custom"), (await CallAsync(cpython, "fault")).Fault); // a fault the method chose is its answer
        Assert.StartsWith("<class 'TypeError'>:", (await CallAsync(cpython, "add", 1)).Fault!.Message, StringComparison.Ordinal); // about the call, not the server
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, entry.Level);
        Assert.Contains("'dotnet'", entry.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(entry.Exception);
    }

    private sealed class RecordingLogger : Microsoft.Extensions.Logging.ILogger<XmlRpcDispatcher>
    {
        public List<(Microsoft.Extensions.Logging.LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }

    [Fact]
    public async Task UsesTheInteropCodesInTheInteropProfile()
    {
        var dispatcher = Dispatcher(
            m => m
                .Add("add", (int x, int y) => x + y)
                .Add("fails", new Func<int>(() => throw new InvalidOperationException("nope")))
                .Add("fault", new Func<int>(() => throw new XmlRpcFaultException(42, "custom")))
                .Add("big", () => XmlRpcValue.FromInt64(5_000_000_000)),
            new XmlRpcServerOptions { FaultProfile = XmlRpcFaultProfile.Interop });

        Assert.Equal(-32601, (await CallAsync(dispatcher, "nope")).Fault!.Code);
        Assert.Equal(-32602, (await CallAsync(dispatcher, "add", 1)).Fault!.Code);
        Assert.Equal(-32500, (await CallAsync(dispatcher, "fails")).Fault!.Code);
        Assert.Equal(42, (await CallAsync(dispatcher, "fault")).Fault!.Code);
        Assert.Equal(-32603, (await CallAsync(dispatcher, "big")).Fault!.Code);
        var notXml = XmlRpcParser.Default.ParseResponse(await dispatcher.HandleRequestAsync("hello"u8.ToArray(), Token).Bounded());
        Assert.Equal(-32700, notXml.Fault!.Code);
        var notRpc = XmlRpcParser.Default.ParseResponse(await dispatcher.HandleRequestAsync("<foo/>"u8.ToArray(), Token).Bounded());
        Assert.Equal(-32600, notRpc.Fault!.Code);
    }

    [Fact]
    public async Task AnswersAMissingMethodNameLikeCPython()
    {
        var dispatcher = Dispatcher(_ => { });

        var response = XmlRpcParser.Default.ParseResponse(await dispatcher.HandleRequestAsync("<methodCall><params/></methodCall>"u8.ToArray(), Token).Bounded());

        Assert.Equal(new XmlRpcFault(1, "<class 'Exception'>:method \"None\" is not supported"), response.Fault);
    }

    [Fact]
    public async Task OffersOnlyTheMarkedMethodsOfAnInstance()
    {
        var dispatcher = Dispatcher(m => m.AddInstance(new MarkedService()));

        Assert.Equal(5, (await CallAsync(dispatcher, "math.add", 2, 3)).Value!.AsInt32());
        Assert.Equal("hello world", (await CallAsync(dispatcher, "Greet")).Value!.AsString());
        Assert.Equal("<class 'Exception'>:method \"NotOffered\" is not supported", (await CallAsync(dispatcher, "NotOffered")).Fault!.Message);
        Assert.Equal("Adds two integers.", (await CallAsync(dispatcher, "system.methodHelp", "math.add")).Value!.AsString());
        Assert.Equal("Greets.", (await CallAsync(dispatcher, "system.methodHelp", "Greet")).Value!.AsString());
    }

    [Theory]
    [InlineData("ToString")]
    [InlineData("GetType")]
    [InlineData("GetHashCode")]
    [InlineData("plain.GetType")]
    [InlineData("plain.Upper.GetType")]
    [InlineData("_private")]
    [InlineData("__class__")]
    public async Task NeverResolvesMembersFromAWireName(string name)
    {
        var dispatcher = Dispatcher(m => m.AddInstance(new PlainService(), "plain"));

        var response = await CallAsync(dispatcher, name);

        Assert.Equal(new XmlRpcFault(1, $"<class 'Exception'>:method \"{name}\" is not supported"), response.Fault);
    }

    [Fact]
    public async Task AwaitsAsyncMethodsAndAnswersNilForVoid()
    {
        var dispatcher = Dispatcher(m => m.AddInstance(new PlainService(), "plain"));

        Assert.Equal("ABC", (await CallAsync(dispatcher, "plain.UpperAsync", "abc")).Value!.AsString());
        Assert.True((await CallAsync(dispatcher, "plain.Nothing")).Value!.IsNil);
    }

    [Fact]
    public async Task FlowsTheRequestsCancellationTokenIntoTheMethod()
    {
        var observed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = Dispatcher(m => m.Add("wait", async (CancellationToken cancellationToken) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                observed.SetResult(true);
                throw;
            }

            return 0;
        }));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var body = XmlRpcFormatter.Default.FormatRequest(new XmlRpcRequest("wait", []));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatcher.HandleRequestAsync(body, cancellation.Token)).Bounded();

        Assert.True(await observed.Task.Bounded());
    }

    [Fact]
    public async Task ListsEveryMethodSortedByCodePoint()
    {
        var dispatcher = Dispatcher(m => m.Add("b", () => 1).Add("a.z", () => 1).Add("Z", () => 1).Add("é", () => 1));

        var names = (await CallAsync(dispatcher, "system.listMethods")).Value!.AsArray().Select(v => v.AsString());

        Assert.Equal(new[] { "Z", "a.z", "b", "system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall", "é" }, names);
    }

    [Fact]
    public async Task DescribesSignaturesFromTheClrTypes()
    {
        var dispatcher = Dispatcher(m => m
            .Add("add", (int x, int y) => x + y)
            .Add("echo", (XmlRpcValue v) => v)
            .Add("raw", (parameters, _) => ValueTask.FromResult(XmlRpcValue.Nil)));

        Assert.Equal(XmlRpcValue.Array(XmlRpcValue.Array("int", "int", "int")), (await CallAsync(dispatcher, "system.methodSignature", "add")).Value);
        Assert.Equal(XmlRpcValue.Array(XmlRpcValue.Array("any", "any")), (await CallAsync(dispatcher, "system.methodSignature", "echo")).Value);
        Assert.Equal(XmlRpcValue.FromString("undef"), (await CallAsync(dispatcher, "system.methodSignature", "raw")).Value);
        Assert.Equal(XmlRpcValue.Array(XmlRpcValue.Array("array", "array")), (await CallAsync(dispatcher, "system.methodSignature", "system.multicall")).Value);
        Assert.Equal(XmlRpcValue.FromString(string.Empty), (await CallAsync(dispatcher, "system.methodHelp", "nope")).Value);
    }

    [Fact]
    public async Task RefusesNestedMulticallsAndMalformedCallsPerCall()
    {
        var dispatcher = Dispatcher(m => m.Add("add", (int x, int y) => x + y));
        var calls = XmlRpcValue.Array(
            XmlRpcValue.Struct(("methodName", "add"), ("params", XmlRpcValue.Array(1, 2))),
            XmlRpcValue.Struct(("methodName", "system.multicall"), ("params", XmlRpcValue.Array(XmlRpcValue.Array()))),
            XmlRpcValue.Struct(("methodName", "add")),
            XmlRpcValue.FromInt32(7),
            XmlRpcValue.Struct(("methodName", "add"), ("params", XmlRpcValue.Array(1))));

        var results = XmlRpcMultiCall.ReadResults((await CallAsync(dispatcher, "system.multicall", calls)).Value!);

        Assert.Equal(3, results[0].Value!.AsInt32());
        Assert.Equal(new XmlRpcFault(1, "<class 'Exception'>:system.multicall cannot be nested"), results[1].Fault);
        Assert.Equal(new XmlRpcFault(-32600, "system.multicall: a call needs 'methodName' (string) and 'params' (array)"), results[2].Fault);
        Assert.Equal(-32600, results[3].Fault!.Code);
        Assert.Equal(new XmlRpcFault(1, "<class 'TypeError'>:add() missing 1 required positional argument: 'y'"), results[4].Fault);
    }

    [Fact]
    public async Task FaultsOnlyTheSubCallWhoseResultCannotBeWritten()
    {
        var dispatcher = Dispatcher(m => m.Add("big", () => XmlRpcValue.FromInt64(5_000_000_000)).Add("one", () => 1));
        var calls = XmlRpcValue.Array(
            XmlRpcValue.Struct(("methodName", "one"), ("params", XmlRpcValue.Array())),
            XmlRpcValue.Struct(("methodName", "big"), ("params", XmlRpcValue.Array())));

        var results = XmlRpcMultiCall.ReadResults((await CallAsync(dispatcher, "system.multicall", calls)).Value!);

        Assert.Equal(1, results[0].Value!.AsInt32());
        Assert.Equal(1, results[1].Fault!.Code);
    }

    [Fact]
    public async Task CapsTheCallsOfOneMulticall()
    {
        var dispatcher = Dispatcher(m => m.Add("one", () => 1), new XmlRpcServerOptions { MaxMulticallCalls = 2 });
        var call = XmlRpcValue.Struct(("methodName", "one"), ("params", XmlRpcValue.Array()));

        var response = await CallAsync(dispatcher, "system.multicall", XmlRpcValue.Array(call, call, call));

        Assert.Equal(1, response.Fault!.Code);
        Assert.Contains("at most 2", response.Fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopsAMulticallWhoseResultsPassTheResponseLimit()
    {
        var calls = 0;
        var dispatcher = Dispatcher(
            m => m.Add("big", () =>
            {
                Interlocked.Increment(ref calls);
                return new string('x', 1000);
            }),
            new XmlRpcServerOptions { MaxResponseBytes = 2500 });
        var call = XmlRpcValue.Struct(("methodName", "big"), ("params", XmlRpcValue.Array()));

        var response = await CallAsync(dispatcher, "system.multicall", XmlRpcValue.Array([.. Enumerable.Repeat(call, 100)]));

        Assert.Equal(1, response.Fault!.Code);
        Assert.Contains("limit of 2500 bytes", response.Fault.Message, StringComparison.Ordinal);
        Assert.Equal(3, calls); // 3 results pass 2500 bytes: the other 97 calls never ran
    }

    [Fact]
    public async Task AnswersAResultOverTheResponseLimitWithAFault()
    {
        var dispatcher = Dispatcher(m => m.Add("big", (int n) => new string('x', n)), new XmlRpcServerOptions { MaxResponseBytes = 2000, FaultProfile = XmlRpcFaultProfile.Interop });

        Assert.Equal("x", (await CallAsync(dispatcher, "big", 1)).Value!.AsString());
        var response = await CallAsync(dispatcher, "big", 5000);

        Assert.Equal(-32603, response.Fault!.Code);
        Assert.Equal("the response would exceed this server's limit of 2000 bytes", response.Fault.Message);
    }

    [Theory]
    [InlineData("system.listMethods", 1, "<class 'TypeError'>:SimpleXMLRPCDispatcher.system_listMethods() takes 1 positional argument but 2 were given")]
    [InlineData("system.methodHelp", 0, "<class 'TypeError'>:SimpleXMLRPCDispatcher.system_methodHelp() missing 1 required positional argument: 'method_name'")]
    [InlineData("system.methodHelp", 2, "<class 'TypeError'>:SimpleXMLRPCDispatcher.system_methodHelp() takes 2 positional arguments but 3 were given")]
    [InlineData("system.multicall", 0, "<class 'TypeError'>:SimpleXMLRPCDispatcher.system_multicall() missing 1 required positional argument: 'call_list'")]
    public async Task BuiltInArgumentErrorsAreCPythonsWordForWord(string method, int count, string expected)
    {
        // Observed with CPython 3.11's SimpleXMLRPCDispatcher (register_introspection_functions, register_multicall_functions).
        var dispatcher = Dispatcher(_ => { });

        var response = await CallAsync(dispatcher, method, [.. Enumerable.Repeat(XmlRpcValue.FromInt32(1), count)]);

        Assert.Equal(new XmlRpcFault(1, expected), response.Fault);
    }

    [Theory]
    [InlineData("system.multicall", "<int>1</int>", "<class 'TypeError'>:'int' object is not iterable")]
    [InlineData("system.multicall", "<boolean>1</boolean>", "<class 'TypeError'>:'bool' object is not iterable")]
    [InlineData("system.multicall", "<double>1.5</double>", "<class 'TypeError'>:'float' object is not iterable")]
    [InlineData("system.multicall", "<nil/>", "<class 'TypeError'>:'NoneType' object is not iterable")]
    [InlineData("system.multicall", "<dateTime.iso8601>20050210T11:41:23</dateTime.iso8601>", "<class 'TypeError'>:'DateTime' object is not iterable")]
    [InlineData("system.multicall", "<base64>YWI=</base64>", "<class 'TypeError'>:'Binary' object is not iterable")]
    [InlineData("system.multicall", "<i8>99999999999999999999</i8>", "<class 'TypeError'>:'int' object is not iterable")]
    [InlineData("system.multicall", "<bigdecimal>1.5</bigdecimal>", "<class 'TypeError'>:'decimal.Decimal' object is not iterable")]
    [InlineData("system.multicall", "<string>ab</string>", "<class 'TypeError'>:string indices must be integers, not 'str'")]
    [InlineData("system.multicall", "<struct><member><name>a</name><value>1</value></member></struct>", "<class 'TypeError'>:string indices must be integers, not 'str'")]
    [InlineData("system.methodHelp", "<array><data/></array>", "<class 'TypeError'>:unhashable type: 'list'")]
    [InlineData("system.methodHelp", "<struct></struct>", "<class 'TypeError'>:unhashable type: 'dict'")]
    [InlineData("system.methodHelp", "<dateTime.iso8601>20050210T11:41:23</dateTime.iso8601>", "<class 'TypeError'>:unhashable type: 'DateTime'")]
    [InlineData("system.methodHelp", "<base64>YWI=</base64>", "<class 'TypeError'>:unhashable type: 'Binary'")]
    public async Task BuiltInArgumentTypeErrorsAreCPythonsWordForWord(string method, string value, string expected)
    {
        // Observed with CPython 3.11's SimpleXMLRPCDispatcher(allow_none=True)._marshaled_dispatch: system_multicall
        // iterates its argument (`for call in call_list`), system_methodHelp looks the name up in a dict.
        var dispatcher = Dispatcher(_ => { });
        var body = Encoding.UTF8.GetBytes($"<methodCall><methodName>{method}</methodName><params><param><value>{value}</value></param></params></methodCall>");

        var response = XmlRpcParser.Default.ParseResponse(await dispatcher.HandleRequestAsync(body, Token).Bounded());

        Assert.Equal(new XmlRpcFault(1, expected), response.Fault);
    }

    [Theory]
    [InlineData("<string></string>")]
    [InlineData("<struct></struct>")]
    public async Task AMulticallOverAnEmptyStringOrStructReturnsNoResultsLikeCPython(string value)
    {
        // CPython 3.11 iterates nothing and answers an empty array.
        var dispatcher = Dispatcher(_ => { });
        var body = Encoding.UTF8.GetBytes($"<methodCall><methodName>system.multicall</methodName><params><param><value>{value}</value></param></params></methodCall>");

        var response = XmlRpcParser.Default.ParseResponse(await dispatcher.HandleRequestAsync(body, Token).Bounded());

        Assert.Equal(XmlRpcValue.Array(), response.Value);
    }

    [Fact]
    public async Task TheInteropProfileNamesANonArrayMulticallArgumentInItsOwnWords()
    {
        var dispatcher = Dispatcher(_ => { }, new XmlRpcServerOptions { FaultProfile = XmlRpcFaultProfile.Interop });

        var response = await CallAsync(dispatcher, "system.multicall", 1);

        Assert.Equal(new XmlRpcFault(-32602, "system.multicall expects an array of calls, not int"), response.Fault);
    }

    [Theory]
    [InlineData("decimal", "<class 'TypeError'>:cannot marshal <class 'decimal.Decimal'> objects")]
    [InlineData("big", "<class 'OverflowError'>:int exceeds XML-RPC limits")]
    [InlineData("int64", "<class 'OverflowError'>:int exceeds XML-RPC limits")]
    public async Task AnUnwritableResultIsCPythonsMarshallingErrorWordForWord(string method, string expected)
    {
        // CPython 3.11: xmlrpc.client.dumps((decimal.Decimal('1.1'),), methodresponse=True), dumps((2**70,), ...) and
        // dumps((5000000000,), ...) raise
        // these; SimpleXMLRPCDispatcher answers Fault 1 '%s:%s' % (type(exc), exc).
        var dispatcher = Dispatcher(m => m
            .Add("decimal", () => XmlRpcValue.FromBigDecimalText("1.1"))
            .Add("big", () => XmlRpcValue.FromBigInteger(System.Numerics.BigInteger.Pow(2, 70)))
            .Add("int64", () => XmlRpcValue.FromInt64(5_000_000_000)));

        var response = await CallAsync(dispatcher, method);

        Assert.Equal(new XmlRpcFault(1, expected), response.Fault);
    }

    [Fact]
    public async Task AFaultWhoseMembersCannotBeWrittenIsSentWithItsCodeAndText()
    {
        var fault = new XmlRpcFault(3, "too big")
        {
            Value = XmlRpcValue.Struct(("faultCode", 3), ("faultString", XmlRpcValue.FromBigInteger(System.Numerics.BigInteger.Pow(10, 40)))),
        };
        var dispatcher = Dispatcher(m => m.Add("f", new Func<int>(() => throw new XmlRpcFaultException(fault))));

        var response = await CallAsync(dispatcher, "f");

        Assert.Equal(new XmlRpcFault(3, "too big"), response.Fault);
    }

    [Fact]
    public async Task AFaultTextXmlCannotCarryArrivesWithReplacementCharacters()
    {
        // CPython writes such text raw: an answer no client can read (bpo-7727). Ours must arrive, alone or in a multicall.
        var dispatcher = Dispatcher(
            m => m
                .Add("nul", new Func<int>(() => throw new InvalidOperationException("a\0b\uFFFEc\uD800d")))
                .Add("one", () => 1),
            new XmlRpcServerOptions { EnableDetailedErrors = true });
        var expected = new XmlRpcFault(1, "<class 'System.InvalidOperationException'>:a\uFFFDb\uFFFDc\uFFFDd");

        Assert.Equal(expected, (await CallAsync(dispatcher, "nul")).Fault);
        var calls = XmlRpcValue.Array(
            XmlRpcValue.Struct(("methodName", "nul"), ("params", XmlRpcValue.Array())),
            XmlRpcValue.Struct(("methodName", "one"), ("params", XmlRpcValue.Array())));
        var results = (await CallAsync(dispatcher, "system.multicall", calls)).Value;
        Assert.Equal(XmlRpcValue.Array(expected.ToValue(), XmlRpcValue.Array(1)), results);
    }

    [Fact]
    public void RefusesTwoMethodsWithOneName()
    {
        var methods = new XmlRpcMethodRegistry().Add("x", () => 1);

        Assert.Throws<ArgumentException>(() => methods.Add("x", () => 2));
    }
}
