using System.Diagnostics;
using System.Globalization;
using Conformance.AotClient;
using XmlRpc;
using XmlRpc.Client;

// A sample client published with Native AOT: every call goes through the typed proxy the XmlRpcWire source generator
// wrote for IConformanceApi (XmlRpcGeneratedProxies.Create, no reflection) or through a MultiCall of XmlRpcValues.
// It checks each answer of the conformance service (python-peers/server.py or the C# Conformance.Server) at --url,
// prints one line per check and exits 0 when every check passed, 1 when one failed, 2 on a usage error.
string? url = null;
var timeout = TimeSpan.FromSeconds(10);
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--url" when value is not null:
            url = value;
            i++;
            break;
        case "--timeout" when value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
            timeout = TimeSpan.FromSeconds(seconds);
            i++;
            break;
        default:
            Console.Error.WriteLine("usage: Conformance.AotClient --url http://127.0.0.1:PORT/RPC2 [--timeout SECONDS]");
            return 2;
    }
}

if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || !endpoint.IsLoopback)
{
    Console.Error.WriteLine("Conformance.AotClient: --url must be a loopback http URL");
    return 2;
}

using var client = new XmlRpcClient(new XmlRpcClientOptions { Url = endpoint.AbsoluteUri, Timeout = timeout });
var api = XmlRpcGeneratedProxies.Create<IConformanceApi>(client);
var clock = Stopwatch.StartNew();
var checks = new Checks();

await checks.RunAsync("add(2, 3) is 5", async () => Expect(5, await api.AddAsync(2, 3)));
await checks.RunAsync("divide(-7, 2) floors to -4", async () => Expect(-4, await api.DivideAsync(-7, 2)));
await checks.RunAsync("echo of non-ASCII and markup", async () => Expect("h\u00e9llo <&> \u20ac", await api.EchoAsync("h\u00e9llo <&> \u20ac")));
await checks.RunAsync("describe(1.5) is the catalog model", async () => Expect("{\"double\":\"1.5\"}", await api.DescribeAsync(XmlRpcValue.FromDouble(1.5))));
await checks.RunAsync("validator1.easyStructTest of a class struct", async () => Expect(6, await api.EasyStructAsync(new Stooges { Moe = 1, Larry = 2, Curly = 3 })));
await checks.RunAsync("validator1.arrayOfStructsTest of a list", async () =>
    Expect(10, await api.ArrayOfStructsAsync([new Stooges { Curly = 3 }, new Stooges { Moe = 9, Curly = 7 }])));
await checks.RunAsync("validator1.simpleStructReturnTest into a class", async () =>
{
    var m = await api.SimpleStructReturnAsync(7);
    Expect("70 700 7000", string.Create(CultureInfo.InvariantCulture, $"{m.Times10} {m.Times100} {m.Times1000}"));
});
await checks.RunAsync("validator1.manyTypesTest of the six scalar types", async () =>
{
    var when = new DateTime(1998, 7, 17, 14, 8, 55);
    byte[] data = [0, 1, 2, 255];
    Expect(XmlRpcValue.Array(1, true, "s", -0.5, when, data), await api.ManyTypesAsync(1, true, "s", -0.5, when, data));
});
await checks.RunAsync("fault(4, 'boom') is Fault 4", async () =>
{
    try
    {
        await api.FaultAsync(4, "boom");
        throw new CheckException("no fault");
    }
    catch (XmlRpcFaultException e)
    {
        Expect("4 boom", string.Create(CultureInfo.InvariantCulture, $"{e.FaultCode} {e.FaultString}"));
    }
});
await checks.RunAsync("system.listMethods names the service", async () =>
{
    var methods = await api.ListMethodsAsync();
    string[] expected = ["add", "echo", "system.multicall", "validator1.echoStructTest"];
    var missing = expected.Except(methods, StringComparer.Ordinal).ToList();
    Expect("none missing", missing.Count == 0 ? "none missing" : "missing " + string.Join(", ", missing));
});
await checks.RunAsync("system.methodHelp('add')", async () => Expect("Return x + y.", await api.MethodHelpAsync("add")));
await checks.RunAsync("system.multicall: a result, a fault, a result", async () =>
{
    var results = await client.CreateMultiCall()
        .Add("add", 1, 2)
        .Add("fault", 7, "in a batch")
        .Add("echo", "last")
        .InvokeAsync();
    Expect(3, results.Count);
    Expect(XmlRpcValue.FromInt32(3), results[0].Value);
    Expect("7 in a batch", results[1].Fault is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f.Code} {f.Message}") : "no fault");
    Expect(XmlRpcValue.FromString("last"), results[2].Value);
});

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Conformance.AotClient: {checks.Passed} passed, {checks.Failed} failed against {endpoint} in {clock.Elapsed.TotalMilliseconds:0} ms"));
return checks.Failed == 0 ? 0 : 1;

static void Expect<T>(T expected, T actual)
{
    if (!EqualityComparer<T>.Default.Equals(expected, actual))
    {
        throw new CheckException($"expected {expected}, got {actual}");
    }
}
