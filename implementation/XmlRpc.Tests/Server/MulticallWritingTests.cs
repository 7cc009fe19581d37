using XmlRpc.Protocol;
using XmlRpc.Server;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Server;

/// <summary>
/// A <c>system.multicall</c> request is written as its calls return, in parts (shared ones of about 1 MiB, a large
/// sub-result in its own): byte for byte the document of the result array that <c>system.multicall</c> returns as a method.
/// </summary>
public sealed class MulticallWritingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static XmlRpcMethodRegistry Methods() => new XmlRpcMethodRegistry()
        .Add("make_string", (int length) => new string('x', length))
        .Add("text", (string s) => s)
        .Add("beyond_32_bits", () => 5_000_000_000L) // a result CPython's marshaller refuses
        .Add("fail", (Func<int>)(() => throw new InvalidOperationException("no")));

    private static XmlRpcValue Call(string method, params XmlRpcValue[] parameters) =>
        XmlRpcValue.Struct(("methodName", XmlRpcValue.FromString(method)), ("params", XmlRpcValue.Array(parameters)));

    // Small results past the first shared part, one in a part of its own, faults of every origin, one that cannot be
    // written, escaping and multi-byte text.
    private static XmlRpcValue Calls()
    {
        var calls = new List<XmlRpcValue>();
        for (var i = 0; i < 300; i++)
        {
            calls.Add(Call("make_string", XmlRpcValue.FromInt32(5000 + i)));
        }

        calls.Add(Call("make_string", XmlRpcValue.FromInt32(3 * 1024 * 1024)));
        calls.Add(Call("beyond_32_bits"));
        calls.Add(Call("fail"));
        calls.Add(Call("no.such.method"));
        calls.Add(XmlRpcValue.FromInt32(7));
        calls.Add(Call("system.multicall", XmlRpcValue.Array()));
        calls.Add(Call("text", XmlRpcValue.FromString("<&> é € 😀")));
        calls.Add(Call("make_string", XmlRpcValue.FromInt32(10)));
        return XmlRpcValue.Array(calls);
    }

    // The reference: system.multicall run as a method, its result array formatted whole, with the one sub-result that
    // cannot be written replaced by the fault a single call of it gets.
    private static async Task<byte[]> ExpectedAsync(XmlRpcDispatcher dispatcher, XmlRpcValue calls)
    {
        var asMethod = await dispatcher.DispatchAsync(new XmlRpcRequest(XmlRpcMultiCall.MethodName, [calls]), Token).Bounded();
        var alone = XmlRpcParser.Default.ParseResponse(await dispatcher.HandleRequestAsync(
            XmlRpcFormatter.Default.FormatRequest(new XmlRpcRequest("beyond_32_bits", [])), Token).Bounded());
        var refused = Assert.IsType<XmlRpcFault>(alone.Fault).ToValue();
        var items = asMethod.GetValueOrThrow().AsArray()
            .Select(item => item.Kind == XmlRpcValueKind.Array && item.AsArray()[0].Kind == XmlRpcValueKind.I8 ? refused : item);
        return XmlRpcFormatter.Default.FormatResponse(XmlRpcResponse.Success(XmlRpcValue.Array(items)));
    }

    private static byte[] Request(XmlRpcValue calls) =>
        XmlRpcFormatter.Default.FormatRequest(new XmlRpcRequest(XmlRpcMultiCall.MethodName, [calls]));

    [Fact]
    public async Task TheDocumentIsTheResultArraysByteForByte()
    {
        var dispatcher = new XmlRpcDispatcher(Methods());
        var calls = Calls();

        var written = await dispatcher.HandleRequestAsync(Request(calls), Token).Bounded();
        using var answer = await dispatcher.AnswerAsync(Request(calls), budget: null, Token).AsTask().Bounded();

        Assert.Equal(await ExpectedAsync(dispatcher, calls), written);
        Assert.Equal(written, answer.ToArray());
        // The prolog, shared parts of about 1 MiB, the 3 MiB result in its own, the epilog.
        Assert.InRange(answer.Parts.Count, 5, 10);
        Assert.Single(answer.Parts, p => p.Length > 3 * 1024 * 1024);
        Assert.All(answer.Parts, p => Assert.True(p.Length < 2 * 1024 * 1024 || p.Length > 3 * 1024 * 1024));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OverHttpThePartsArriveInOrder(bool gzip)
    {
        await using var server = new XmlRpcServer(Methods());
        await server.StartAsync(Token).Bounded();
        var calls = Calls();
        (string, string)[] headers = gzip ? [("Accept-Encoding", "gzip")] : [];

        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", headers, Request(calls)));

        Assert.Equal(200, response.Status);
        Assert.Equal(gzip ? "gzip" : null, response.Header("Content-Encoding"));
        Assert.Equal(await ExpectedAsync(server.Dispatcher, calls), response.DecodedBody());
    }

    [Fact]
    public async Task AnArgumentThatIsNoListIsTheMethodsFault()
    {
        var dispatcher = new XmlRpcDispatcher(Methods());
        var request = new XmlRpcRequest(XmlRpcMultiCall.MethodName, [XmlRpcValue.FromInt32(1)]);

        var written = await dispatcher.HandleRequestAsync(XmlRpcFormatter.Default.FormatRequest(request), Token).Bounded();
        var asMethod = await dispatcher.DispatchAsync(request, Token).Bounded();

        Assert.True(asMethod.IsFault);
        Assert.Equal(XmlRpcFormatter.Default.FormatResponse(asMethod), written);
    }

    [Fact]
    public async Task AResultPastTheResponseLimitStopsTheMulticall()
    {
        var dispatcher = new XmlRpcDispatcher(Methods(), new XmlRpcServerOptions { MaxResponseBytes = 100_000 });
        var calls = XmlRpcValue.Array(Call("make_string", XmlRpcValue.FromInt32(60_000)), Call("make_string", XmlRpcValue.FromInt32(60_000)), Call("fail"));

        var response = XmlRpcParser.Default.ParseResponse(await dispatcher.HandleRequestAsync(Request(calls), Token).Bounded());

        Assert.True(response.IsFault);
        Assert.Contains("100000", response.Fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherEncodingIsWrittenWhole()
    {
        var options = new XmlRpcServerOptions { FormatterOptions = new XmlRpcFormatterOptions { EncodingName = "iso-8859-1" } };
        var dispatcher = new XmlRpcDispatcher(Methods(), options);
        var calls = XmlRpcValue.Array(Call("text", XmlRpcValue.FromString("é € <")), Call("fail"));

        var written = await dispatcher.HandleRequestAsync(Request(calls), Token).Bounded();
        var asMethod = await dispatcher.DispatchAsync(new XmlRpcRequest(XmlRpcMultiCall.MethodName, [calls]), Token).Bounded();

        Assert.Equal(new XmlRpcFormatter(options.FormatterOptions).FormatResponse(asMethod), written);
    }
}
