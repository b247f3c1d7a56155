using System.Collections;
using System.Globalization;

namespace SpecSynth;

/// <summary>
/// What a streamed run of several specs (<see cref="GenerateAllRequest.OnSpecDone"/>) keeps of each spec it wrote, for the
/// <see cref="GenerateInterruptedException"/> an interruption throws: its journal run, files without their validation,
/// provider, model, output folder, usage, cost and conversation, turned into a <see cref="GenerateResult"/> only when
/// read. Each spec is one slot of an array of 256 made when the first of them is written (no object a spec: the record
/// with its usage was 160 bytes a written spec on top of the slot, and each reply's model name a string of its own), the
/// provider, model and output folder the specs share are kept once, and a journal run id of the usual form (<c>yyyyMMddTHHmmssfffZ-xxxxxx</c>) as two numbers instead
/// of its 26-character string. Each index is set by one spec's task; read once the run's tasks ended.
/// </summary>
internal sealed class WrittenSpecs(int specs) : IReadOnlyList<GenerateResult?>
{
    /// <summary>Slots a chunk holds: 256 × 112 bytes, under the large-object heap's threshold.</summary>
    internal const int ChunkSlots = 256;

    // The slots in chunks made when a spec of theirs is written: a run of 10,000 specs made one 1.1 MB array (on the
    // large-object heap) before its first request; now a run holds ~112 bytes a written spec, as it writes them.
    private readonly Written[]?[] _chunks = new Written[]?[(specs + ChunkSlots - 1) / ChunkSlots];
    private Origin? _origin;
    private int _count;

    public int Count => specs;

    /// <summary>Whether any spec was written.</summary>
    public bool Any => Volatile.Read(ref _count) > 0;

    /// <summary>The spec at <paramref name="index"/> as a <see cref="GenerateResult"/> without its diff, planned contents,
    /// explanation, understanding, confidence evidence, repair rounds, review and files' validation; <c>null</c> when it
    /// was not written.</summary>
    public GenerateResult? this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, specs);
            return Volatile.Read(ref _chunks[index / ChunkSlots]) is { } chunk ? chunk[index % ChunkSlots].Result() : null;
        }
    }

    /// <summary>Keeps what an interruption says of <paramref name="result"/>, the result of the spec at
    /// <paramref name="index"/>, when it was written (has a journal run).</summary>
    public void Add(int index, GenerateResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.JournalRun is not { } run)
        {
            return;
        }
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, specs);
        var usage = result.Usage;
        Chunk(index / ChunkSlots)[index % ChunkSlots] = new Written
        {
            Spec = result.Spec,
            Files = Files(result.Files),
            Origin = OriginOf(result),
            Run = RunId.Of(run),
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
            CacheWriteTokens = usage.CacheWriteTokens,
            CacheReadTokens = usage.CacheReadTokens,
            CostUsd = result.CostUsd,
            ConversationId = result.ConversationId ?? 0,
            HasConversation = result.ConversationId is not null,
            Valid = result.Repair.Valid,
            RoundsUsed = result.Repair.RoundsUsed,
        };
        Interlocked.Increment(ref _count);
    }

    public IEnumerator<GenerateResult?> GetEnumerator()
    {
        for (var i = 0; i < specs; i++)
        {
            yield return this[i];
        }
    }

    /// <summary>The chunk at <paramref name="number"/>, made by the first spec of its range that is written (two racing
    /// make one each and keep the first: each index is set by one spec's task, after the chunk is in place).</summary>
    private Written[] Chunk(int number)
    {
        if (Volatile.Read(ref _chunks[number]) is { } chunk)
        {
            return chunk;
        }
        var made = new Written[Math.Min(ChunkSlots, specs - (number * ChunkSlots))];
        return Interlocked.CompareExchange(ref _chunks[number], made, null) ?? made;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The provider, model and output folder of the last spec kept, reused while they do not change (two tasks racing
    // here at worst keep two equal ones).
    private Origin OriginOf(GenerateResult result)
    {
        var last = Volatile.Read(ref _origin);
        if (last is not null && last.Provider == result.Provider && last.Model == result.Model && last.OutputRoot == result.OutputRoot)
        {
            return last;
        }
        var origin = new Origin(result.Provider, result.Model, result.OutputRoot);
        Volatile.Write(ref _origin, origin);
        return origin;
    }

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

    private sealed record Origin(string Provider, string Model, string OutputRoot);

    /// <summary>One spec's slot; <see cref="Files"/> is <c>null</c> while it is not written.</summary>
    private struct Written
    {
        public string Spec;
        public object? Files;
        public Origin Origin;
        public RunId Run;
        public long InputTokens, OutputTokens, CacheWriteTokens, CacheReadTokens;
        public decimal CostUsd;
        public long ConversationId;
        public bool HasConversation, Valid;
        public int RoundsUsed;

        public readonly GenerateResult? Result() => Files is null ? null : new()
        {
            Spec = Spec,
            Status = GenerateStatus.Written,
            Provider = Origin.Provider,
            Model = Origin.Model,
            Usage = new GenerateUsage(InputTokens, OutputTokens, CacheWriteTokens, CacheReadTokens),
            CostUsd = CostUsd,
            OutputRoot = Origin.OutputRoot,
            Files = Files as GenerateFileResult[] ?? [(GenerateFileResult)Files],
            Repair = new GenerateRepair(Valid, RoundsUsed, []),
            JournalRun = Run.ToString(),
            ConversationId = HasConversation ? ConversationId : null,
        };
    }

    /// <summary>A journal run id: the 17 digits and 6 hex digits of the usual form
    /// (<see cref="Output.WriteJournal"/>: <c>yyyyMMddTHHmmssfffZ-xxxxxx</c>), any other id as its string.</summary>
    private readonly struct RunId
    {
        private const int Length = 26;
        private readonly string? _other;
        private readonly long _digits;
        private readonly int _suffix;

        private RunId(string? other, long digits, int suffix) => (_other, _digits, _suffix) = (other, digits, suffix);

        public static RunId Of(string id)
        {
            var s = id.AsSpan();
            if (s.Length != Length || s[8] != 'T' || s[18] != 'Z' || s[19] != '-')
            {
                return new RunId(id, 0, 0);
            }
            long digits = 0;
            for (var i = 0; i < 18; i++)
            {
                if (i == 8)
                {
                    continue;
                }
                if (!char.IsAsciiDigit(s[i]))
                {
                    return new RunId(id, 0, 0);
                }
                digits = digits * 10 + (s[i] - '0');
            }
            var suffix = 0;
            foreach (var c in s[20..])
            {
                if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                {
                    return new RunId(id, 0, 0);
                }
                suffix = (suffix << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
            }
            return new RunId(null, digits, suffix);
        }

        public override string ToString() => _other ?? string.Create(Length, (_digits, _suffix), static (span, id) =>
        {
            var digits = id._digits.ToString("D17", CultureInfo.InvariantCulture);
            digits.AsSpan(0, 8).CopyTo(span);
            span[8] = 'T';
            digits.AsSpan(8).CopyTo(span[9..]);
            span[18] = 'Z';
            span[19] = '-';
            id._suffix.ToString("x6", CultureInfo.InvariantCulture).AsSpan().CopyTo(span[20..]);
        });
    }
}
