namespace Conformance.Fuzz;

/// <summary>
/// Shrinks a failing document while it keeps failing the same way: delta debugging by chunk removal (halves, quarters,
/// ... single bytes), each round's candidates evaluated in one batch on both sides.
/// </summary>
internal static class Minimizer
{
    /// <summary>The smallest document found within <paramref name="maxRounds"/> batches.</summary>
    /// <param name="document">The failing document.</param>
    /// <param name="stillFails">For each candidate, does it still fail the same way? (one batch per call)</param>
    /// <param name="maxRounds">A bound on the batches spent.</param>
    public static async Task<byte[]> MinimizeAsync(byte[] document, Func<IReadOnlyList<byte[]>, Task<bool[]>> stillFails, int maxRounds = 60)
    {
        var current = document;
        var chunk = Math.Max(1, current.Length / 2);
        for (var round = 0; round < maxRounds && current.Length > 1; round++)
        {
            var candidates = new List<byte[]>();
            for (var start = 0; start < current.Length; start += chunk)
            {
                var length = Math.Min(chunk, current.Length - start);
                candidates.Add([.. current.AsSpan(0, start), .. current.AsSpan(start + length)]);
            }

            // Bounded batches: a long document at chunk 1 would be thousands of candidates.
            if (candidates.Count > 400)
            {
                candidates = [.. candidates.Take(400)];
            }

            var verdicts = await stillFails(candidates).ConfigureAwait(false);
            var hit = Array.IndexOf(verdicts, true);
            if (hit >= 0)
            {
                current = candidates[hit];
                chunk = Math.Min(chunk, Math.Max(1, current.Length / 2));
            }
            else if (chunk == 1)
            {
                break;
            }
            else
            {
                chunk /= 2;
            }
        }

        return current;
    }
}
