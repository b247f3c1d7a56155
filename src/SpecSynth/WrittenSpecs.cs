using System.Collections;

namespace SpecSynth;

/// <summary>
/// What a streamed run of several specs (<see cref="GenerateAllRequest.OnSpecDone"/>) keeps of each spec it wrote, for the
/// <see cref="GenerateInterruptedException"/> an interruption throws: one small record a written spec (its journal run,
/// files without their validation, provider, model, output folder, usage, cost and conversation), turned into a
/// <see cref="GenerateResult"/> only when read. A trimmed <see cref="GenerateResult"/> kept for every written spec until
/// the run's end was ~0.3 KB a spec (the record, its repair and its files' array); this is ~0.11 KB. Each index is set by
/// one spec's task; read once the run's tasks ended.
/// </summary>
internal sealed class WrittenSpecs(int specs) : IReadOnlyList<GenerateResult?>
{
    private readonly Written?[] _written = new Written?[specs];
    private int _count;

    public int Count => _written.Length;

    /// <summary>Whether any spec was written.</summary>
    public bool Any => Volatile.Read(ref _count) > 0;

    /// <summary>The spec at <paramref name="index"/> as a <see cref="GenerateResult"/> without its diff, planned contents,
    /// explanation, understanding, confidence evidence, repair rounds, review and files' validation; <c>null</c> when it
    /// was not written.</summary>
    public GenerateResult? this[int index] => _written[index]?.Result();

    /// <summary>Keeps what an interruption says of <paramref name="result"/>, the result of the spec at
    /// <paramref name="index"/>, when it was written (has a journal run).</summary>
    public void Add(int index, GenerateResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.JournalRun is not { } run)
        {
            return;
        }
        _written[index] = new Written(result.Spec, run, Files(result.Files), result.Provider, result.Model, result.OutputRoot, result.Usage,
            result.CostUsd, result.ConversationId, result.Repair.Valid, result.Repair.RoundsUsed);
        Interlocked.Increment(ref _count);
    }

    public IEnumerator<GenerateResult?> GetEnumerator()
    {
        for (var i = 0; i < _written.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // One file (the usual case) as itself, several as an array; without their validation (their diagnostics).
    private static object Files(IReadOnlyList<GenerateFileResult> files)
    {
        if (files.Count == 1)
        {
            return Trim(files[0]);
        }
        var kept = new GenerateFileResult[files.Count];
        for (var i = 0; i < kept.Length; i++)
        {
            kept[i] = Trim(files[i]);
        }
        return kept;
    }

    private static GenerateFileResult Trim(GenerateFileResult file) => file.Validation is null ? file : file with { Validation = null };

    private sealed record Written(string Spec, string JournalRun, object Files, string Provider, string Model, string OutputRoot,
        GenerateUsage Usage, decimal CostUsd, long? ConversationId, bool Valid, int RoundsUsed)
    {
        public GenerateResult Result() => new()
        {
            Spec = Spec,
            Status = GenerateStatus.Written,
            Provider = Provider,
            Model = Model,
            Usage = Usage,
            CostUsd = CostUsd,
            OutputRoot = OutputRoot,
            Files = Files as GenerateFileResult[] ?? [(GenerateFileResult)Files],
            Repair = new GenerateRepair(Valid, RoundsUsed, []),
            JournalRun = JournalRun,
            ConversationId = ConversationId,
        };
    }
}
