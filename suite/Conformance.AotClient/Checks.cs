using XmlRpc;

namespace Conformance.AotClient;

/// <summary>Runs named checks and counts them; a check fails by throwing.</summary>
internal sealed class Checks
{
    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public async Task RunAsync(string name, Func<Task> check)
    {
        try
        {
            await check().ConfigureAwait(false);
            Passed++;
            Console.WriteLine("PASS " + name);
        }
        catch (Exception e) when (e is CheckException or XmlRpcException or HttpRequestException or TaskCanceledException)
        {
            Failed++;
            Console.WriteLine($"FAIL {name}: {e.GetType().Name}: {e.Message}");
        }
    }
}

/// <summary>An answer that is not the expected one.</summary>
internal sealed class CheckException : Exception
{
    public CheckException(string message)
        : base(message)
    {
    }

    public CheckException()
    {
    }

    public CheckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
