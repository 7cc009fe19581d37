using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Conformance.Server;

// The C# twin of python-peers/server.py, with its flags: --host (loopback unless --allow-non-loopback),
// --port N (0 = any free port), --max-lifetime SECONDS (default 900, 0 = no limit), --fixtures DIR.
// stdout carries exactly one JSON line, the ready line; then it serves /RPC2 and / until the lifetime ends.
var host = "127.0.0.1";
var port = 0;
var maxLifetime = 900.0;
var allowNonLoopback = false;
string? fixtures = null;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        var value = i + 1 < args.Length ? args[i + 1] : null;
        switch (args[i])
        {
            case "--host" when value is not null:
                host = value;
                i++;
                break;
            case "--port" when value is not null:
                port = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                i++;
                break;
            case "--max-lifetime" when value is not null:
                maxLifetime = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
                i++;
                break;
            case "--fixtures" when value is not null:
                fixtures = value;
                i++;
                break;
            case "--allow-non-loopback":
                allowNonLoopback = true;
                break;
            case "--help" or "-h":
                Console.WriteLine("usage: Conformance.Server [--host ADDR] [--port N] [--allow-non-loopback] [--max-lifetime SECONDS] [--fixtures DIR]");
                return 0;
            default:
                return Usage("unknown or incomplete argument: " + args[i]);
        }
    }
}
catch (FormatException e)
{
    return Usage(e.Message);
}

if (!IPAddress.TryParse(host, out var address) && host != "localhost")
{
    return Usage($"--host {host}: not an IP address");
}

if (!allowNonLoopback && host != "localhost" && !IPAddress.IsLoopback(address!))
{
    return Usage($"--host {host} is not a loopback address (add --allow-non-loopback to serve beyond this machine)");
}

if (port is < 0 or > 65535)
{
    return Usage("--port must be 0..65535");
}

if (maxLifetime < 0)
{
    return Usage("--max-lifetime must be >= 0");
}

try
{
    fixtures = Conformance.Catalog.FixturesLocator.Find(fixtures);
}
catch (DirectoryNotFoundException e)
{
    return Usage(fixtures is null ? e.Message : "--fixtures " + e.Message);
}

using var stop = new CancellationTokenSource();
var signalled = false;

// Ctrl+C and SIGTERM (docker stop) end the lifetime early; the registrations go before the token source does.
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
if (maxLifetime > 0)
{
    stop.CancelAfter(TimeSpan.FromSeconds(maxLifetime));
}

await using var server = await ConformanceHost.StartAsync(host, port, fixtures, loggerFactory: null, stop.Token);
Console.Out.WriteLine(server.ReadyLine());
Console.Out.Flush();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    if (maxLifetime > 0 && !signalled)
    {
        Console.Error.WriteLine(string.Format(CultureInfo.InvariantCulture, "Conformance.Server: --max-lifetime of {0} s reached, exiting", maxLifetime));
    }
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    signalled = true;
    stop.Cancel();
}

static int Usage(string message)
{
    Console.Error.WriteLine("Conformance.Server: " + message);
    return 2;
}
