using Microsoft.Extensions.Logging;

namespace XmlRpc.Tests;

/// <summary>Keeps every formatted log line, with its level, for assertions .</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    public List<string> Messages { get; } = [];

    /// <summary>The lines so far (Kestrel may still be logging while a test reads them).</summary>
    public string[] Snapshot()
    {
        lock (Messages)
        {
            return [.. Messages];
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (provider.Messages)
            {
                provider.Messages.Add(logLevel + ": " + formatter(state, exception));
            }
        }
    }
}
