using System.Text;
using XmlRpc.Internal;
using XmlRpc.Protocol;
using XmlRpc.Server.Internal;

namespace XmlRpc.Server;

/// <summary><c>system.multicall</c> written as its calls return.</summary>
public sealed partial class XmlRpcDispatcher
{
    private byte[]? _multicallProlog;
    private byte[]? _multicallEpilog;

    /// <summary>
    /// Can a multicall be written as its calls return? The built-in one (not a method registered under its name), and a
    /// UTF-8 document (<see cref="XmlRpcFormatter.WriteValue"/> writes UTF-8; another encoding re-encodes the whole).
    /// </summary>
    private bool StreamsMulticall(string? methodName) =>
        methodName == XmlRpcMultiCall.MethodName
        && Options.FormatterOptions.EncodingName is null
        && !Methods.TryGetMethod(methodName, out _)
        && _system.ContainsKey(methodName);

    /// <summary>
    /// Runs a <c>system.multicall</c> and writes each sub-result into the document as it returns, so that the request holds
    /// its document and one result at a time (CPython holds every result, then the document).
    /// </summary>
    /// <remarks>
    /// Byte for byte the document of the result array: CPython writes each item of an array the same way wherever it is.
    /// A sub-result that cannot be written is faulted alone, as <see cref="Format"/> does for a whole result. Each item is
    /// written as a value of its own, so one nested exactly to <see cref="XmlRpcFormatterOptions.MaxDepth"/> is written
    /// where the whole array would have been one level too deep.
    /// </remarks>
    private async ValueTask<Answer> StreamMulticallAsync(XmlRpcRequest request, ResponseBudget? budget, CancellationToken cancellationToken)
    {
        IReadOnlyList<XmlRpcValue> calls;
        try
        {
            calls = SystemMethods.MulticallCalls(this, request.Params);
        }
        catch (Exception e)
        {
            // Its argument is wrong: the fault the method would raise (DispatchAsync's).
            return Format(request, XmlRpcResponse.FromFault(ToFault(request.MethodName, e)), budget);
        }

        var (prolog, epilog) = MulticallFrame();
        var document = new MulticallDocument();
        try
        {
            document.AppendRaw(prolog);
            foreach (var entry in calls)
            {
                // Stop before the results held in memory pass the response limit, not after the response is built.
                if (document.Length > Options.MaxResponseBytes)
                {
                    document.Dispose();
                    return Formatter.FormatFault(_faults.ResponseTooLarge(Options.MaxResponseBytes));
                }

                var held = await WriteCallAsync(document, entry, budget, cancellationToken).ConfigureAwait(false);
                if (held >= ServerLimits.LargeResponseBytes)
                {
                    // The call's result is garbage now (WriteCallAsync kept nothing of it): collect it before the next one.
                    Limits.CollectLargeResults();
                }
            }

            document.AppendRaw(epilog);
            if (document.Length > Options.MaxResponseBytes)
            {
                document.Dispose();
                return Formatter.FormatFault(_faults.ResponseTooLarge(Options.MaxResponseBytes));
            }

            return document.ToAnswer();
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    // Runs one call and writes its sub-result; returns the bytes its values held.
    private async ValueTask<long> WriteCallAsync(MulticallDocument document, XmlRpcValue entry, ResponseBudget? budget, CancellationToken cancellationToken)
    {
        var result = await SystemMethods.RunCallAsync(this, entry, cancellationToken).ConfigureAwait(false);
        var item = result.ToValue();
        var size = ResponseSize.Of(item);
        budget?.EnsureReserved(document.Length + size.WhileFormatting);
        document.Append(size.Document, buffer =>
        {
            var start = buffer.WrittenCount;
            try
            {
                Formatter.WriteValue(buffer, item);
            }
            catch (XmlRpcFormatException e)
            {
                // This sub-result cannot be written: fault this call only (CPython fails the whole multicall).
                buffer.Truncate(start);
                Formatter.WriteValue(buffer, _faults.FromException(e).ToValue());
            }
        });
        budget?.ReserveExactly(document.Length);
        return size.Held;
    }

    // The document of an empty result array, cut where its items go.
    private (byte[] Prolog, byte[] Epilog) MulticallFrame()
    {
        if (_multicallProlog is null || _multicallEpilog is null)
        {
            var empty = Formatter.FormatResponse(XmlRpcResponse.Success(XmlRpcValue.Array()));
            var cut = empty.AsSpan().IndexOf("</data>"u8);
            if (cut < 0)
            {
                throw new InvalidOperationException("An empty array response without </data>: " + Encoding.UTF8.GetString(empty));
            }

            _multicallEpilog = empty[cut..];
            _multicallProlog = empty[..cut];
        }

        return (_multicallProlog, _multicallEpilog);
    }
}
