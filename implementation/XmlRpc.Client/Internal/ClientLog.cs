using Microsoft.Extensions.Logging;

namespace XmlRpc.Client.Internal;

/// <summary>What the client logs (<see cref="XmlRpcClientOptions.LoggerFactory"/>).</summary>
internal static partial class ClientLog
{
    /// <summary>How much of a body a Trace line shows.</summary>
    public const int TraceBodyChars = 4096;

    [LoggerMessage(1, LogLevel.Debug, "XML-RPC call {Method} to {Endpoint}: {RequestBytes} request bytes")]
    public static partial void Sending(ILogger logger, string method, Uri endpoint, int requestBytes);

    [LoggerMessage(2, LogLevel.Trace, "XML-RPC request of {Method}: {Body}")]
    public static partial void RequestBody(ILogger logger, string method, string body);

    [LoggerMessage(3, LogLevel.Debug, "XML-RPC call {Method} answered in {ElapsedMilliseconds} ms: {ResponseBytes} response bytes, {Outcome}")]
    public static partial void Answered(ILogger logger, string method, long elapsedMilliseconds, int responseBytes, string outcome);

    [LoggerMessage(4, LogLevel.Trace, "XML-RPC response to {Method}: {Body}")]
    public static partial void ResponseBody(ILogger logger, string method, string body);

    [LoggerMessage(5, LogLevel.Warning, "XML-RPC call {Method} to {Endpoint} failed after {ElapsedMilliseconds} ms")]
    public static partial void Failed(ILogger logger, Exception exception, string method, Uri endpoint, long elapsedMilliseconds);
}
