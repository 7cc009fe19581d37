using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using XmlRpc.Server;

namespace Conformance.Throughput;

/// <summary>
/// The <c>serve KIND</c> role: one .NET server on 127.0.0.1 with a free port, in a process of its own. It prints a JSON
/// ready line (<c>url</c>, <c>port</c>), answers <c>stats</c> on stdin with a JSON line of its GC counters, and exits when
/// stdin closes or its lifetime is over.
/// </summary>
internal static class Serve
{
    public static readonly string[] Kinds = ["kestrel", "standalone", "mapxmlrpc"];

    [RequiresUnreferencedCode("The add method is bound by reflection, as an application would register it.")]
    [RequiresDynamicCode("The add method is bound by reflection, as an application would register it.")]
    public static async Task<int> RunAsync(string kind, TimeSpan lifetime)
    {
        await using var host = kind switch
        {
            "kestrel" => await StartBareKestrelAsync(),
            "standalone" => await StartStandaloneAsync(),
            "mapxmlrpc" => await StartMapXmlRpcAsync(),
            _ => throw new ArgumentException("unknown server kind " + kind + " (" + string.Join(", ", Kinds) + ")"),
        };

        Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["url"] = "http://127.0.0.1:" + host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + Wire.Path,
            ["port"] = host.Port,
            ["kind"] = kind,
        }));
        Console.Out.Flush();

        var commands = Task.Run(AnswerCommands);
        await Task.WhenAny(commands, Task.Delay(lifetime));
        return 0;
    }

    /// <summary>The stdin protocol: <c>stats</c> → one JSON line; end of input → exit.</summary>
    private static void AnswerCommands()
    {
        while (Console.In.ReadLine() is { } line)
        {
            if (line.Trim() == "stats")
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, long>
                {
                    ["allocated"] = GC.GetTotalAllocatedBytes(precise: true),
                    ["gen0"] = GC.CollectionCount(0),
                    ["gen1"] = GC.CollectionCount(1),
                    ["gen2"] = GC.CollectionCount(2),
                }));
                Console.Out.Flush();
            }
        }
    }

    /// <summary>The one method, registered as an application would: a delegate bound by the reflection binder.</summary>
    [RequiresUnreferencedCode("Reflection binding.")]
    [RequiresDynamicCode("Reflection binding.")]
    private static XmlRpcMethodRegistry AddMethods(XmlRpcMethodRegistry methods) => methods.Add("add", (int x, int y) => x + y);

    /// <summary>The ceiling: Kestrel reading the body and writing the same answer as a constant, no XML-RPC at all.</summary>
    private static async Task<Host> StartBareKestrelAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            var body = context.Request.BodyReader;
            while (true)
            {
                var read = await body.ReadAsync(context.RequestAborted);
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            context.Response.ContentType = "text/xml";
            context.Response.ContentLength = Wire.ResponseBody.Length;
            await context.Response.Body.WriteAsync(Wire.ResponseBody, context.RequestAborted);
        });
        return await Host.StartAsync(app);
    }

    [RequiresUnreferencedCode("Reflection binding.")]
    [RequiresDynamicCode("Reflection binding.")]
    private static async Task<Host> StartStandaloneAsync()
    {
        var server = new XmlRpcServer(AddMethods(new XmlRpcMethodRegistry()), new XmlRpcServerOptions(), new XmlRpcHostOptions { Host = "127.0.0.1", Port = 0 });
        await server.StartAsync(CancellationToken.None);
        return new Host(server.Port, server.DisposeAsync);
    }

    [RequiresUnreferencedCode("Reflection binding.")]
    [RequiresDynamicCode("Reflection binding.")]
    private static async Task<Host> StartMapXmlRpcAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddXmlRpcServer(methods => AddMethods(methods));
        var app = builder.Build();
        app.MapXmlRpc(Wire.Path);
        return await Host.StartAsync(app);
    }

    private sealed class Host(int port, Func<ValueTask> dispose) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public static async Task<Host> StartAsync(WebApplication app)
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Host(new Uri(address).Port, app.DisposeAsync);
        }

        public ValueTask DisposeAsync() => dispose();
    }
}
