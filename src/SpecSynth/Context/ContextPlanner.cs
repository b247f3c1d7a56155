using System.Globalization;
using System.Text;
using SpecSynth.Context.Outlines;
using SpecSynth.Prompting;
using SpecSynth.Output;
using SpecSynth.Projects;

namespace SpecSynth.Context;

/// <summary>
/// Fills a generate prompt to the budget of the tightest provider of the chain, in the seed's priority order: (1) the
/// spec, always whole (a spec that does not fit alone is bad input); (2) the related files, best first, each whole if it
/// fits, else as an outline, else only as a path in the project structure (which keeps up to <see cref="TreeReserve"/> of
/// the budget for itself meanwhile); (3) the project structure, trimmed to what
/// is left (at most <see cref="TreeShare"/> of the budget) with <c>… and N more files</c>; (4) the previous
/// implementations, whole, as outlines, or dropped. Examples have no source yet and are not planned. The files and the
/// tree are planned as if the spec took at least <see cref="SpecAllowance"/> of the budget, so specs of different
/// lengths over one project share the stable prefix (and its prompt cache); what a shorter spec leaves goes to (4).
/// Items are counted one by one with the largest count of the chain's counters; then the rendered prompt is counted
/// whole by every provider's counter (Anthropic's endpoint near the limit or with <c>--exact-tokens</c>), and when a
/// count is over its limit the plan is made again with less room, so the budget is never exceeded. Thread-safe.
/// </summary>
internal sealed class ContextPlanner(PromptBuilder prompts)
{
    /// <summary>The largest share of the prompt budget the project structure may take.</summary>
    public const double TreeShare = 0.25;

    /// <summary>The share of the budget kept for the project structure while the files are planned (when it needs that much).</summary>
    public const double TreeReserve = 0.05;

    /// <summary>The share of the budget kept for the spec when the stable part is planned (see <see cref="PlanAsync"/>).</summary>
    public const double SpecAllowance = 0.10;

    /// <summary>The largest file read from disk for a ranked file the scan did not hold (bytes).</summary>
    public const int MaxReadBytes = 1024 * 1024;

    /// <summary>The reason given for a file the user changed since specsynth last wrote it.</summary>
    public const string LocalEditReason = "changed since specsynth last wrote it (local edits): shown first";

    /// <summary>A sent file scoring under this share of the best ranked file's score counts as unrelated to the spec.</summary>
    public const double UnrelatedShare = 0.25;

    /// <summary>Below this many tokens of files sent, no warning about unrelated context is given (too little to matter).</summary>
    public const int UnrelatedMinTokens = 1000;

    /// <summary>How many times a plan is made again after the whole prompt counted over a limit.</summary>
    public const int MaxAttempts = 5;

    /// <summary>How many ranked files ahead of the one being packed are read in advance.</summary>
    private const int ReadAhead = 4;

    /// <summary>The prompt builder that renders the plan.</summary>
    public PromptBuilder Prompts { get; } = prompts ?? throw new ArgumentNullException(nameof(prompts));

    /// <summary>Plans the generate prompt for <paramref name="request"/> within every target's budget.</summary>
    /// <exception cref="SpecSynthException"><see cref="ErrorKind.InvalidInput"/>: the spec alone does not fit.</exception>
    public async Task<ContextPlan> PlanAsync(ContextPlanRequest request, IReadOnlyList<ContextTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0)
        {
            throw new ArgumentException("at least one target is needed", nameof(targets));
        }
        var counter = MaxTokenCounter.Of([.. targets.Select(t => t.Counter.Local)]);
        var tightest = targets.MinBy(t => t.Budget.PromptLimit)!;
        var template = Render(request, null, []);
        var templateTokens = 0;
        foreach (var target in targets)
        {
            templateTokens = Math.Max(templateTokens, target.Counter.Estimate(template.Messages));
        }
        var spec = SpecItem(request, counter);
        var files = Candidates(request, counter);
        var previous = request.PreviousImplementations
            .Select(p => new Candidate(p.Path, 0, [], _ => Task.FromResult<(string?, string?)>((p.Content, null)), counter)).ToList();
        var tree = new TreeCandidate(request, counter);

        var room = tightest.Budget.PromptLimit - templateTokens;
        for (var attempt = 1; ; attempt++)
        {
            if (spec.Tokens > room)
            {
                throw SpecTooLong(spec.Tokens, templateTokens, room + templateTokens, tightest.Budget);
            }
            var items = await FillAsync(spec, files, tree, previous, room, tightest.Budget.PromptLimit, cancellationToken).ConfigureAwait(false);
            var prompt = Render(request, request.Spec, items);
            var fits = new List<ContextFit>(targets.Count);
            var over = 0;
            foreach (var target in targets)
            {
                var count = await target.Counter.CountAsync(prompt.Messages, target.Budget.PromptLimit, cancellationToken).ConfigureAwait(false);
                fits.Add(new ContextFit(target.Budget, count.Tokens, count.IsExact));
                over = Math.Max(over, count.Tokens - target.Budget.PromptLimit);
            }
            if (over <= 0)
            {
                return new ContextPlan { Items = items, Fits = fits, TemplateTokens = templateTokens, Prompt = prompt, Warning = Unrelated(request, items) };
            }
            if (attempt == MaxAttempts)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"The prompt still needs {over} tokens more than the budget of {tightest.Budget.PromptLimit} after {MaxAttempts} attempts; " +
                    "shorten the specification or use a model with a larger context window.");
            }
            room -= over + Math.Max(16, room / 50);
        }
    }

    private ChatPrompt Render(ContextPlanRequest request, Specs.Specification? spec, IReadOnlyList<ContextItem> items)
    {
        var prompt = Prompts.BuildGenerate(spec, request.Project, items, request.SystemPrompt, request.Edits);
        return request.Adjust is { } adjust ? adjust(prompt) : prompt;
    }

    private async Task<List<ContextItem>> FillAsync(SpecCandidate spec, List<Candidate> files, TreeCandidate tree, List<Candidate> previous, int room, int limit,
        CancellationToken cancellationToken)
    {
        var items = new List<ContextItem>(files.Count + previous.Count + 2) { spec.Item };
        // The stable part (files, tree) is planned as if the spec took at least SpecAllowance of the budget, so that specs
        // of different lengths over one project get the same stable prefix; what a short spec leaves goes to the volatile part.
        var allowance = Math.Min(Math.Max(spec.Tokens, (int)(limit * SpecAllowance)), Math.Max(spec.Tokens, room));
        var left = room - allowance;
        var treeShown = Prompts.GenerateUses("project_tree");
        // The structure keeps a little room (at most TreeReserve of the budget), so files left as paths are still listed.
        var treeReserve = treeShown ? Math.Clamp(Math.Min(tree.WholeTokens, (int)(limit * TreeReserve)), 0, Math.Max(0, left)) : 0;
        left -= treeReserve;
        var filesShown = Prompts.GenerateUses("existing_files");
        var fileItems = new List<ContextItem>(files.Count);
        for (var k = 0; k < files.Count; k++)
        {
            if (filesShown)
            {
                // The next few files are read (on other threads) while this one is counted and packed; the room only shrinks,
                // so a file too large for it now is never read, and at most ReadAhead reads go unused when the room runs out.
                for (var next = k + 1; next < Math.Min(files.Count, k + 1 + ReadAhead); next++)
                {
                    files[next].Prefetch(left, cancellationToken);
                }
            }
            var item = await files[k].FitAsync(filesShown ? left : 0, ContextItemKind.File, filesShown ? null : "the generate template has no {{existing_files}}",
                cancellationToken).ConfigureAwait(false);
            left -= item.Tokens;
            fileItems.Add(item);
        }
        left += treeReserve;
        var treeItem = tree.Fit(treeShown ? left : 0, (int)(limit * TreeShare), fileItems);
        left -= treeItem.Tokens;
        var listed = tree.Listed;
        foreach (var file in fileItems)
        {
            items.Add(file.State == ContextItemState.PathOnly && !listed(file.Path!)
                ? file with { State = ContextItemState.Dropped, Reasons = [.. file.Reasons, "not listed either: the project structure was trimmed"] }
                : file);
        }
        items.Add(treeItem);
        var previousShown = Prompts.GenerateUses("previous_implementations");
        left += allowance - spec.Tokens;
        if (previous.Count > 0)
        {
            left -= previousShown ? Math.Min(left, spec.Counter.Count(PromptBuilder.PreviousHeader)) : 0;
        }
        foreach (var file in previous)
        {
            var item = await file.FitAsync(previousShown ? left : 0, ContextItemKind.PreviousImplementation,
                previousShown ? null : "the generate template has no {{previous_implementations}}", cancellationToken).ConfigureAwait(false);
            left -= item.Tokens;
            items.Add(item.State == ContextItemState.PathOnly ? item with { State = ContextItemState.Dropped } : item);
        }
        return items;
    }

    /// <summary>A warning when most of the files sent score as unrelated to the spec (under <see cref="UnrelatedShare"/> of the best
    /// ranked file): the project folder is probably not the one the spec belongs to.</summary>
    private static string? Unrelated(ContextPlanRequest request, IReadOnlyList<ContextItem> items)
    {
        var best = 0.0;
        foreach (var ranked in request.Ranked)
        {
            best = Math.Max(best, ranked.Score);
        }
        if (best <= 0)
        {
            return null;
        }
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var ranked in request.Ranked)
        {
            shares.TryAdd(ranked.Path, ranked.Score / best);
        }
        var sent = items.Where(i => i.Kind == ContextItemKind.File && i.Tokens > 0).ToList();
        var total = sent.Sum(i => i.Tokens);
        var weak = sent.Where(i => !i.Reasons.Contains(LocalEditReason) && shares.GetValueOrDefault(i.Path!, 1) < UnrelatedShare).ToList();
        var weakTokens = weak.Sum(i => i.Tokens);
        if (total < UnrelatedMinTokens || weakTokens * 2 <= total)
        {
            return null;
        }
        return $"most of the project context scores as unrelated to the spec: {N(weakTokens)} of the {N(total)} tokens of files planned " +
            $"({N(weak.Count)} of {N(sent.Count)} files, e.g. {string.Join(", ", weak.Take(3).Select(i => i.Path))}) score under " +
            $"{UnrelatedShare * 100:0} % of the best match. Is {request.Project.Root} the project the spec belongs to? Give it with --project " +
            "(or write with --out into it); 'specsynth context' shows the plan.";
    }

    private static SpecCandidate SpecItem(ContextPlanRequest request, ITokenCounter counter)
    {
        var values = PromptBuilder.SpecValues(request.Spec, request.Project.Language, request.Project.Framework);
        var tokens = 0;
        foreach (var value in values.Values)
        {
            tokens = checked(tokens + counter.Count(value));
        }
        var item = new ContextItem(request.Spec.SourcePath, ContextItemKind.Specification, tokens, ContextItemState.Whole,
            ["the specification (with its title, requirements, language and framework) is always sent whole"]);
        return new SpecCandidate(item, tokens, counter);
    }

    // Contents are loaded lazily, when a file's turn comes and there is room left: a long ranking of a large
    // repository never reads the files that could not be sent anyway.
    private static List<Candidate> Candidates(ContextPlanRequest request, ITokenCounter counter)
    {
        var inScan = request.Project.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var result = new List<Candidate>(request.LocalEdits.Count + request.Ranked.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Files the user edited since specsynth wrote them come first: the reply must build on them, not revert them.
        foreach (var (path, content) in request.LocalEdits)
        {
            if (seen.Add(path))
            {
                result.Add(new Candidate(path, System.Text.Encoding.UTF8.GetByteCount(content), [LocalEditReason],
                    _ => Task.FromResult<(string?, string?)>((content, null)), counter));
            }
        }
        foreach (var ranked in request.Ranked)
        {
            if (!seen.Add(ranked.Path))
            {
                continue;
            }
            var path = ranked.Path;
            Func<CancellationToken, Task<(string?, string?)>> load = SecretFiles.IsSecret(path)
                ? _ => Task.FromResult<(string?, string?)>((null, "a secret file: never read"))
                : inScan.TryGetValue(path, out var scanned)
                    ? _ => Task.FromResult<(string?, string?)>((scanned.Content, null))
                    : async ct => await ReadAsync(request.Project.Root, path, ct).ConfigureAwait(false) is { } text
                        ? (text, null)
                        : (null, $"not readable as text (binary, not UTF-8, missing or over {MaxReadBytes / 1024} KB)");
            result.Add(new Candidate(path, ranked.Bytes, ranked.Reasons, load, counter));
        }
        return result;
    }

    private static async Task<string?> ReadAsync(string root, string path, CancellationToken cancellationToken)
    {
        string full;
        try
        {
            full = Path.Combine(Path.GetFullPath(root), PathGuard.Confine(Path.GetFullPath(root), path));
        }
        catch (SpecSynthException)
        {
            return null;
        }
        var info = new FileInfo(full);
        if (!info.Exists || info.Length > MaxReadBytes || info.Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return null;
        }
        var read = await ProjectFileReader.ReadAsync(new WalkEntry(path, full, info.Length, false), MaxReadBytes, cancellationToken).ConfigureAwait(false);
        return read?.File.Content;
    }

    private static SpecSynthException SpecTooLong(int specTokens, int templateTokens, int limit, ContextBudget budget)
    {
        var how = budget.ContextWindow is { } window
            ? $"context window {N(window)} − reply reservation {N(budget.ReplyReservation)} − margin {N(budget.Margin)}"
            : "the --budget given";
        return new SpecSynthException(ErrorKind.InvalidInput,
            $"The specification alone needs {N(specTokens)} tokens and the prompt template {N(templateTokens)}, but the prompt may take " +
            $"only {N(limit)} tokens with {budget.Provider} {budget.Model} ({how}). Shorten the specification, split it, or use a model " +
            "with a larger context window.");
    }

    internal static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private sealed record SpecCandidate(ContextItem Item, int Tokens, ITokenCounter Counter);

    /// <summary>A file that may be sent whole, as an outline, or not at all; its text, counts and outline are made once,
    /// when first needed.</summary>
    private sealed class Candidate(string path, long bytes, IReadOnlyList<string> reasons,
        Func<CancellationToken, Task<(string? Content, string? Unreadable)>> load, ITokenCounter counter)
    {
        /// <summary>Below this many tokens left, no file is read: none would fit.</summary>
        private const int MinUseful = 16;

        /// <summary>A file is not read when even an outline of a sixteenth of it (at 4 bytes a token) would not fit: a
        /// shortcut for large rankings, never a budget decision (what is sent is always counted).</summary>
        private const int MaxBytesPerToken = 64;

        private (string? Content, string? Unreadable)? _loaded;
        private Task<(string? Content, string? Unreadable)>? _loading;
        private (string Text, int Tokens)? _whole;
        private (string Text, int Tokens)? _outline;
        private bool _outlineDone;

        /// <summary>Starts reading the file on the thread pool when <see cref="FitAsync"/> with <paramref name="left"/> tokens
        /// left would read it.</summary>
        public void Prefetch(int left, CancellationToken cancellationToken)
        {
            if (_loaded is null && _loading is null && Fits(left))
            {
                _loading = Task.Run(() => load(cancellationToken), cancellationToken);
            }
        }

        public async Task<ContextItem> FitAsync(int left, ContextItemKind kind, string? notShown, CancellationToken cancellationToken)
        {
            if (notShown is not null)
            {
                return new ContextItem(path, kind, 0, ContextItemState.PathOnly, [.. reasons, "path only: " + notShown]);
            }
            if (_loaded is null && !Fits(left))
            {
                return new ContextItem(path, kind, 0, ContextItemState.PathOnly,
                    [.. reasons, $"path only: {N(bytes)} bytes cannot fit in the {N(Math.Max(0, left))} tokens left"]);
            }
            _loaded ??= await (_loading ?? load(cancellationToken)).ConfigureAwait(false);
            if (_loaded.Value.Content is not { } content)
            {
                return new ContextItem(path, kind, 0, ContextItemState.PathOnly, [.. reasons, "path only: " + (_loaded.Value.Unreadable ?? "no content")]);
            }
            _whole ??= Counted(PromptBuilder.FileFragment(path, content, outline: false));
            var whole = _whole.Value;
            if (whole.Tokens <= left)
            {
                return new ContextItem(path, kind, whole.Tokens, ContextItemState.Whole, reasons) { Text = whole.Text, Source = content };
            }
            if (!_outlineDone)
            {
                _outlineDone = true;
                _outline = OutlineBuilder.Build(path, content, cancellationToken) is { } outline
                    ? Counted(PromptBuilder.FileFragment(path, outline, outline: true))
                    : null;
            }
            if (_outline is { } o && o.Tokens <= left)
            {
                return new ContextItem(path, kind, o.Tokens, ContextItemState.Outline,
                    [.. reasons, $"outline: the whole file needs {N(whole.Tokens)} tokens, {N(Math.Max(0, left))} were left"])
                { Text = o.Text };
            }
            var outlineNote = _outline is { } big ? $" and its outline {N(big.Tokens)}" : OutlineBuilder.Supports(path) ? "" : " (no outline for this language)";
            return new ContextItem(path, kind, 0, ContextItemState.PathOnly,
                [.. reasons, $"path only: the whole file needs {N(whole.Tokens)} tokens{outlineNote}, {N(Math.Max(0, left))} were left"]);
        }

        private (string, int) Counted(string text) => (text, counter.Count(text));

        /// <summary>Whether the file is worth reading with <paramref name="left"/> tokens left.</summary>
        private bool Fits(int left) => left >= MinUseful && bytes <= (long)left * MaxBytesPerToken;
    }

    /// <summary>The project structure: every scanned path plus the ranked ones, listed whole or trimmed.</summary>
    private sealed class TreeCandidate
    {
        private const string Empty = "(empty: a new project)";
        private readonly List<string> _paths;
        private readonly ITokenCounter _counter;
        private int? _wholeTokens;
        private string? _wholeText;
        private int[]? _lineTokens;
        private bool[]? _shown;
        private int _shownCount;

        public TreeCandidate(ContextPlanRequest request, ITokenCounter counter)
        {
            _paths = AllPaths(request);
            _counter = counter;
        }

        /// <summary>The tokens of the whole structure.</summary>
        public int WholeTokens => _wholeTokens ??= CountWhole();

        /// <summary>The whole structure's text, made only when it is counted whole or sent whole (a large structure is
        /// counted by lines and trimmed, so its ~1 MB text is never needed).</summary>
        private string WholeText => _wholeText ??= _paths.Count == 0 ? Empty : string.Join('\n', _paths) + "\n";

        /// <summary>The scanned paths with the ranked and locally edited ones, distinct, in ordinal order. The walk lists
        /// the tree in that order already and every ranked path is in it, so then the tree is taken as it is (checked,
        /// not assumed: otherwise the paths are merged and sorted).</summary>
        private static List<string> AllPaths(ContextPlanRequest request)
        {
            var tree = request.Project.Tree;
            if (OrdinalPaths.Ascending(tree) && request.Ranked.All(r => OrdinalPaths.IndexOf(tree, r.Path) >= 0)
                && request.LocalEdits.All(e => OrdinalPaths.IndexOf(tree, e.Path) >= 0))
            {
                return [.. tree];
            }
            var all = new HashSet<string>(tree, StringComparer.Ordinal);
            all.UnionWith(request.Ranked.Select(r => r.Path));
            all.UnionWith(request.LocalEdits.Select(e => e.Path));
            return [.. all.Order(StringComparer.Ordinal)];
        }

        /// <summary>Whether a path is listed in the structure of the last <see cref="Fit"/>.</summary>
        public Func<string, bool> Listed => p => _shown is null || (OrdinalPaths.IndexOf(_paths, p) is var i && i >= 0 && _shown[i]);

        public ContextItem Fit(int left, int cap, IReadOnlyList<ContextItem> files)
        {
            _shown = null;
            var wholeTokens = WholeTokens;
            if (wholeTokens <= Math.Min(left, cap))
            {
                return new ContextItem(null, ContextItemKind.ProjectTree, wholeTokens, ContextItemState.Whole,
                    [_paths.Count == 0 ? "the project is empty" : $"all {N(_paths.Count)} paths"])
                { Text = WholeText };
            }
            var more = _counter.Count($"… and {_paths.Count} more files\n");
            var budget = Math.Min(left, cap) - more;
            if (budget < 0)
            {
                _shown = new bool[_paths.Count];
                _shownCount = 0;
                return new ContextItem(null, ContextItemKind.ProjectTree, 0, ContextItemState.Dropped,
                    [$"dropped: {N(wholeTokens)} tokens for {N(_paths.Count)} paths, {N(Math.Max(0, left))} were left"]);
            }
            _shown = new bool[_paths.Count];
            _shownCount = 0;
            _lineTokens ??= TreeLines.Count(_paths, _counter);
            var used = 0;
            // The related files' paths first (best first), then the rest in order, while they fit (_paths are in ordinal
            // order, distinct, and hold every file's path).
            foreach (var file in files)
            {
                Show(OrdinalPaths.IndexOf(_paths, file.Path!), budget, ref used);
            }
            for (var i = 0; i < _paths.Count; i++)
            {
                Show(i, budget, ref used);
            }
            var hidden = _paths.Count - _shownCount;
            var shown = new StringBuilder();
            for (var i = 0; i < _paths.Count; i++)
            {
                if (_shown[i])
                {
                    shown.Append(_paths[i]).Append('\n');
                }
            }
            var text = shown.Append(CultureInfo.InvariantCulture, $"… and {hidden} more files\n").ToString();
            var share = cap < left ? $" (the structure takes at most {TreeShare * 100:0} % of the budget)" : "";
            return new ContextItem(null, ContextItemKind.ProjectTree, used + more, ContextItemState.Trimmed,
                [$"trimmed to {N(_shownCount)} of {N(_paths.Count)} paths, the related files' first: all of them need {N(wholeTokens)} tokens, " +
                 $"{N(Math.Max(0, left))} were left{share}"])
            { Text = text };
        }

        /// <summary>Lists path <paramref name="i"/> if its line fits and it is not listed yet.</summary>
        private void Show(int i, int budget, ref int used)
        {
            if (!_shown![i] && used + _lineTokens![i] <= budget)
            {
                _shown[i] = true;
                _shownCount++;
                used += _lineTokens[i];
            }
        }

        /// <summary>The whole structure and its tokens. A large structure is counted line by line on every core (the lines are
        /// needed anyway when it is trimmed, which a structure that large will be) and the lines' counts are summed, when the
        /// counter's sum is exactly the whole count (<see cref="TreeLines.AddsUp"/>); else it is counted whole.</summary>
        private int CountWhole()
        {
            if (_paths.Count < TreeLines.ParallelFrom || !TreeLines.AddsUp(_paths, _counter))
            {
                return _counter.Count(WholeText);
            }
            _lineTokens = TreeLines.Count(_paths, _counter);
            var sum = 0L;
            foreach (var tokens in _lineTokens)
            {
                sum += tokens;
            }
            return (int)Math.Min(int.MaxValue, sum);
        }
    }
}
