using Conformance.Fuzz.Generation;

namespace Conformance.Fuzz;

/// <summary>
/// The documents of a run: first every document of the golden tree as it is (requests, responses, parse-only cases),
/// then, per index, a grammar document, a mutated golden document or a mutated grammar document. Document <c>i</c> of
/// seed <c>s</c> depends on nothing else, so any one is reproduced alone with <c>--start i --count 1</c>.
/// </summary>
internal static class Corpus
{
    /// <summary>The golden tree's documents, in catalog order.</summary>
    public static IReadOnlyList<byte[]> Load(Conformance.Catalog.Catalog catalog)
    {
        var documents = new List<byte[]>();
        foreach (var testCase in catalog.Cases)
        {
            if (testCase.DocumentBytes is { } bytes)
            {
                documents.Add(bytes);
            }

            foreach (var suffix in (string[])[".request.xml", ".response.xml"])
            {
                if (catalog.ReadGolden(testCase, suffix) is { } golden)
                {
                    documents.Add(golden);
                }
            }
        }

        return documents;
    }

    /// <summary>Document <paramref name="index"/> of seed <paramref name="seed"/>.</summary>
    public static byte[] Document(int seed, int index, IReadOnlyList<byte[]> golden)
    {
        if (index < golden.Count)
        {
            return golden[index];
        }

        // Not HashCode.Combine: it is randomised per process, and documents must be the same in every run.
        var random = new Random(unchecked((seed * 1_000_003) + index));
        return random.Next(10) switch
        {
            < 4 => DocumentGrammar.Document(random),
            < 7 => Mutator.Mutate(random, golden[random.Next(golden.Count)]),
            _ => Mutator.Mutate(random, DocumentGrammar.Document(random)),
        };
    }
}
