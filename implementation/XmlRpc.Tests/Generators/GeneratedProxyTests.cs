using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using XmlRpc.Client;
using XmlRpc.Client.Internal;
using XmlRpc.Server;
using Xunit;

namespace XmlRpc.Tests.Generators;

/// <summary>A client contract of <see cref="TypedService"/> that the source generator writes a proxy for.</summary>
public interface ITypedClient
{
    [XmlRpcMethod("add")]
    Task<int> AddAsync(int x, int y);

    [XmlRpcMethod("greet")]
    ValueTask<string> GreetAsync(string name, int? times, bool? loud, double? pitch, DateTime? at, CancellationToken cancellationToken);

    [XmlRpcMethod("bytes")]
    Task<byte[]?> BytesAsync(byte[]? data, int[] counts);

    [XmlRpcMethod("validator1.arrayOfStructsTest")]
    Task<int> ArrayOfStructsAsync(IReadOnlyList<Stooges> structs);

    [XmlRpcMethod("validator1.simpleStructReturnTest")]
    Task<Times> SimpleStructReturnAsync(int n);

    [XmlRpcMethod("roster")]
    Task<Roster> RosterAsync(Roster roster, List<int>? scores);

    [XmlRpcMethod("echo")]
    Task<XmlRpcValue> EchoAsync(XmlRpcValue value);

    [XmlRpcMethod("echo")]
    Task<int> EchoAsIntAsync(string value);

    [XmlRpcMethod("notify")]
    Task NotifyAsync(string? text);

    [XmlRpcMethod("flush")]
    ValueTask FlushAsync();
}

/// <summary>
/// The generated proxy of <see cref="ITypedClient"/> against the reflection proxy (DispatchProxy) of the same
/// interface, both over a client whose transport is a dispatcher serving <see cref="TypedService"/>: each call must
/// send the same request bytes and return an equal result or throw the same error.
/// </summary>
public sealed class GeneratedProxyTests
{
    private static readonly Roster SampleRoster = new()
    {
        Team = new Team { Name = "t", Rating = 2.5, Founded = new DateTime(2000, 1, 2, 3, 4, 5, DateTimeKind.Unspecified) },
        Members = [new Stooges { Moe = 1, Larry = 2, Curly = 3, Nickname = "m" }, new Stooges { Moe = 4, Larry = 5, Curly = 6 }],
        Scores = [7, 8],
        Note = null,
        Captain = true,
        Blobs = [[1, 2], null!],
    };

    public static TheoryData<string> Calls() => [.. Scenarios.Keys];

    private static readonly Dictionary<string, Func<ITypedClient, Task<object?>>> Scenarios = new()
    {
        ["add"] = async c => await c.AddAsync(2, 3),
        ["add overflow"] = async c => await c.AddAsync(int.MaxValue, 1),
        ["greet"] = async c => await c.GreetAsync("ab", 2, true, 1.5, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), TestContext.Current.CancellationToken),
        ["greet nulls"] = async c => await c.GreetAsync("ab", null, null, null, null, default),
        ["bytes"] = async c => await c.BytesAsync([0, 1], [3, 4]),
        ["bytes null"] = async c => await c.BytesAsync(null, []),
        ["array of structs"] = async c => await c.ArrayOfStructsAsync([new Stooges { Moe = 1, Larry = 2, Curly = 3 }, new Stooges { Curly = 10 }]),
        ["simple struct"] = async c => Describe(await c.SimpleStructReturnAsync(7)),
        ["roster"] = async c => Describe(await c.RosterAsync(SampleRoster, [9])),
        ["roster null scores"] = async c => Describe(await c.RosterAsync(SampleRoster, null)),
        ["echo value"] = async c => await c.EchoAsync(XmlRpcValue.Array(1, "x", XmlRpcValue.Nil)),
        ["echo as int, wrong type"] = async c => await c.EchoAsIntAsync("x"),
        ["notify"] = async c => { await c.NotifyAsync(null); return null; },
        ["flush"] = async c => { await c.FlushAsync(); return null; },
    };

    [Fact]
    public void CreateProxyReturnsTheGeneratedProxy()
    {
        using var client = new XmlRpcClient(new DispatcherHandler([]), new XmlRpcClientOptions { Url = "http://127.0.0.1/RPC2" }, disposeHandler: true);
        Assert.True(XmlRpcGeneratedProxies.IsGenerated(typeof(ITypedClient)));
        Assert.StartsWith("XmlRpc.Generated.", client.CreateProxy<ITypedClient>().GetType().FullName, StringComparison.Ordinal);
        Assert.Same(typeof(ITypedClient), XmlRpcGeneratedProxies.Create<ITypedClient>(client).GetType().GetInterfaces().Single());
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task GeneratedProxyCallsAsTheReflectionProxyDoes(string scenario)
    {
        var generatedRequests = new List<string>();
        var reflectedRequests = new List<string>();
        using var generatedClient = new XmlRpcClient(new DispatcherHandler(generatedRequests), new XmlRpcClientOptions { Url = "http://127.0.0.1/RPC2" }, disposeHandler: true);
        using var reflectedClient = new XmlRpcClient(new DispatcherHandler(reflectedRequests), new XmlRpcClientOptions { Url = "http://127.0.0.1/RPC2" }, disposeHandler: true);
        var generated = XmlRpcGeneratedProxies.Create<ITypedClient>(generatedClient);
        var reflected = DispatchProxy.Create<ITypedClient, XmlRpcDispatchProxy>();
        ((XmlRpcDispatchProxy)(object)reflected).Attach(reflectedClient);

        var expected = await Outcome(Scenarios[scenario](reflected));
        var actual = await Outcome(Scenarios[scenario](generated));

        Assert.Equal(expected, actual);
        Assert.Single(reflectedRequests);
        Assert.Equal(reflectedRequests, generatedRequests);
    }

    private static async Task<string> Outcome(Task<object?> call)
    {
        try
        {
            return "result: " + Describe(await call);
        }
        catch (Exception e) when (e is XmlRpcException or XmlRpcMappingException)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    /// <summary>A result as text, class members included (records of the results are not compared by reference).</summary>
    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        XmlRpcValue v => v.ToString(),
        byte[] b => Convert.ToHexString(b),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        Stooges s => $"Stooges({s.Moe}, {s.Larry}, {s.Curly}, {Describe(s.Nickname)})",
        Times t => $"Times({t.Times10}, {t.Times100}, {t.Times1000})",
        Team t => $"Team({t.Name}, {t.Rating}, {t.Founded:O})",
        Roster r => $"Roster({Describe(r.Team)}, {Describe(r.Members)}, {Describe(r.Scores)}, {Describe(r.Note)}, {r.Captain}, {Describe(r.Blobs)})",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>A transport that records each request body and answers it with a dispatcher serving <see cref="TypedService"/>.</summary>
    private sealed class DispatcherHandler(List<string> requests) : HttpMessageHandler
    {
        private static readonly XmlRpcDispatcher Dispatcher = new(new XmlRpcMethodRegistry().AddInstance(new TypedService()));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            requests.Add(Encoding.UTF8.GetString(body));
            var answer = await Dispatcher.HandleRequestAsync(body, cancellationToken);
            var content = new ByteArrayContent(answer);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }
    }
}
