using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace XmlRpc.Tests.Http;

/// <summary>A CPython <c>SimpleXMLRPCServer</c> in a child process on 127.0.0.1, for transport tests.</summary>
/// <remarks>
/// The script is inline so the tests do not depend on the peers' command line. It prints a JSON ready line
/// with the port (the python-peers contract), exits by itself after a bounded lifetime, and offers
/// <c>connections()</c>, the number of TCP connections it has accepted.
/// </remarks>
internal sealed class PythonServerProcess : IAsyncDisposable
{
    private const string Script = """
        import json, sys, threading
        from xmlrpc.server import SimpleXMLRPCServer, SimpleXMLRPCRequestHandler
        protocol, lifetime = sys.argv[1], float(sys.argv[2])
        class Handler(SimpleXMLRPCRequestHandler):
            protocol_version = protocol
        class Server(SimpleXMLRPCServer):
            accepted = 0
            def get_request(self):
                Server.accepted += 1
                return SimpleXMLRPCServer.get_request(self)
        server = Server(("127.0.0.1", 0), requestHandler=Handler, logRequests=False, allow_none=True)
        server.register_function(lambda x: x, "echo")
        server.register_function(lambda x, y: x + y, "add")
        server.register_function(lambda: Server.accepted, "connections")
        server.register_introspection_functions()
        server.register_multicall_functions()
        threading.Timer(lifetime, server.shutdown).start()
        print(json.dumps({"event": "ready", "port": server.server_address[1], "protocol": protocol}), flush=True)
        server.serve_forever()
        """;

    private readonly Process _process;

    private PythonServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The listening port.</summary>
    public int Port { get; }

    /// <summary>The endpoint URL.</summary>
    public string Url => string.Format(CultureInfo.InvariantCulture, "http://127.0.0.1:{0}/RPC2", Port);

    /// <summary>Starts a server speaking <paramref name="protocol"/> (<c>HTTP/1.0</c>, CPython's default, or <c>HTTP/1.1</c>).</summary>
    public static async Task<PythonServerProcess> StartAsync(string protocol, TimeSpan lifetime)
    {
        var python = FindPython() ?? throw new InvalidOperationException("python3 is not on PATH: the CPython transport tests need it.");
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(protocol);
        start.ArgumentList.Add(lifetime.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TestEnvironment.Timeout);
            if (line is null)
            {
                throw new InvalidOperationException("python3 exited before its ready line: " + await process.StandardError.ReadToEndAsync().WaitAsync(TestEnvironment.Timeout));
            }

            using var ready = JsonDocument.Parse(line);
            return new PythonServerProcess(process, ready.RootElement.GetProperty("port").GetInt32());
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The python3 executable, or null when there is none.</summary>
    public static string? FindPython()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "python3");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TestEnvironment.Timeout);
        }

        _process.Dispose();
    }
}
