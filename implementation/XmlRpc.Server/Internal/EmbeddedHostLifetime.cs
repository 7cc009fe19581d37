using Microsoft.Extensions.Hosting;

namespace XmlRpc.Server.Internal;

/// <summary>The lifetime of a server embedded in someone else's process: it never hooks Ctrl+C or SIGTERM.</summary>
/// <remarks>The default <c>ConsoleLifetime</c> would take the process's signals away from the application hosting the server.</remarks>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
