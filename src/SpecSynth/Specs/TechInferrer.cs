using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace SpecSynth.Specs;

/// <summary>
/// Infers a spec's target language and framework from its own content, keeping the evidence. In order of
/// strength: front matter and <c>Language:</c> hint lines; statements ("a Python agent", "in Rust", "built with
/// FastAPI"); then, added up, the file paths it names, its fenced code languages, framework and package names and
/// imports, and build files and commands. Content alone must reach <see cref="MinScore"/> or the language stays
/// unset (the model chooses), unless two different kinds of clue agree on <c>2</c>. Shell fences never make a spec a
/// shell spec (PRP validation steps are bash); <c>.sh</c>/<c>.ps1</c> paths, shebangs and statements do.
/// </summary>
internal static partial class TechInferrer
{
    /// <summary>The content score a language needs to be chosen without being stated.</summary>
    internal const double MinScore = 3;

    private const double StatementWeight = 5;
    private const double FenceWeight = 2;
    private const double ShellFenceWeight = 0.5;
    private const double BuildWeight = 2;
    private const double PathWeight = 1;
    private const double NameWeight = 1;
    private const int MaxNameLines = 6;
    private const int MaxSyntaxLines = 4;

    /// <summary>The content lines read for statements, names, fences, build commands and syntax (paths come from the whole spec).</summary>
    internal const int MaxLines = 3000;
    private const int MaxEvidencePerLanguage = 6;

    public static TechInference Infer(MarkdownDocument document, string text, IReadOnlyDictionary<string, string> frontMatter,
        IReadOnlyList<string> referencedPaths, List<SpecLines.Entry> allLines)
    {
        var hints = HintExtractor.Extract(document, text, frontMatter);
        // A reader decides from the first pages; reading every line of a multi-megabyte spec would cost seconds.
        var lines = allLines.Count <= MaxLines ? allLines : allLines.GetRange(0, MaxLines);
        var languages = new Scores();
        var frameworks = new Scores();
        var statedLanguages = new List<TechEvidence>();
        var statedFrameworks = new List<TechEvidence>();
        foreach (var hint in hints)
        {
            (IsFramework(hint.Value) ? statedFrameworks : statedLanguages).Add(hint);
        }
        ReadStatements(lines, statedLanguages, statedFrameworks);
        ReadPaths(lines, referencedPaths, languages, frameworks);
        ReadFences(lines, languages);
        ReadNames(lines, frameworks, languages);
        ReadBuild(lines, languages);
        ReadSyntax(lines, languages);
        languages.DropShellFences();
        languages.MergeJavaScriptIntoTypeScript();
        // Plain loops here and in ReadStatements/ReadFences/ReadSyntax: no iterator per parse (allocation, issue 19).
        foreach (var statement in statedLanguages)
        {
            if (statement.Kind == "statement")
            {
                languages.Add(statement.Value, StatementWeight, statement);
            }
        }
        foreach (var statement in statedFrameworks)
        {
            if (statement.Kind == "statement")
            {
                frameworks.Add(statement.Value, StatementWeight, statement);
            }
        }
        return Decide(languages, frameworks, statedLanguages, statedFrameworks);
    }

    private static bool IsFramework(string id) => TechFrameworks.IsFrameworkId(id);

    private static TechInference Decide(Scores languages, Scores frameworks, List<TechEvidence> statedLanguages, List<TechEvidence> statedFrameworks)
    {
        var framework = statedFrameworks.FirstOrDefault()?.Value;
        var frameworkStated = framework is not null;
        var stated = statedLanguages.FirstOrDefault();
        var language = stated?.Value;
        var languageStated = language is not null;
        if (language is null && framework is not null && TechFrameworks.LanguageOf(framework) is { } implied)
        {
            language = implied;
            languageStated = true;
            statedLanguages.Add(new TechEvidence(implied, "framework", statedFrameworks[0].Text, statedFrameworks[0].Line));
        }
        var ranked = languages.Ranked();
        if (language is null && ranked.Count > 0 && (ranked[0].Score >= MinScore || (ranked[0].Score >= 2 && languages.Kinds(ranked[0].Id) >= 2)))
        {
            language = ranked[0].Id;
        }
        if (framework is null)
        {
            var rankedFrameworks = frameworks.Ranked();
            for (var i = 0; i < rankedFrameworks.Count && framework is null; i++)
            {
                if (rankedFrameworks[i].Score >= 2 && TechFrameworks.Fits(rankedFrameworks[i].Id, language))
                {
                    framework = rankedFrameworks[i].Id;
                }
            }
            if (framework is not null && language is null && TechFrameworks.LanguageOf(framework) is null && frameworks.ScoreOf(framework) < MinScore)
            {
                framework = null;
            }
        }
        if (language is null && framework is not null && TechFrameworks.LanguageOf(framework) is { } fromFramework)
        {
            language = fromFramework;
        }
        var top = ranked.Count > 0 ? ranked[0].Score : 0;
        var strong = new List<string>();
        for (var i = 0; i < ranked.Count; i++)
        {
            var (id, score) = ranked[i];
            if (id != language && score >= MinScore && score >= top / 4 && languages.HasStrongEvidence(id))
            {
                strong.Add(id);
            }
        }
        var others = strong
            .Concat(statedLanguages.Where(e => e.Kind == "statement").Select(e => e.Value))
            .Where(l => l != language && !SameFamily(l, language))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var evidence = new List<TechEvidence>();
        foreach (var id in new[] { language }.Concat(others).OfType<string>())
        {
            evidence.AddRange(statedLanguages.Where(e => e.Value == id));
            evidence.AddRange(languages.Evidence(id).Where(e => e.Kind != "statement").Take(MaxEvidencePerLanguage));
        }
        var frameworkEvidence = framework is null ? [] : statedFrameworks.Where(e => e.Value == framework)
            .Concat(frameworks.Evidence(framework).Where(e => e.Kind != "statement").Take(MaxEvidencePerLanguage)).ToList();
        return new TechInference
        {
            Language = language,
            OtherLanguages = others.AsReadOnly(),
            Framework = framework,
            LanguageStated = languageStated,
            FrameworkStated = frameworkStated,
            LanguageEvidence = evidence.Distinct().ToList().AsReadOnly(),
            FrameworkEvidence = frameworkEvidence.Distinct().ToList().AsReadOnly(),
            Conflicts = Conflicts(statedLanguages, languages, ranked).AsReadOnly(),
        };
    }

    private static List<string> Conflicts(List<TechEvidence> stated, Scores languages, List<(string Id, double Score)> ranked)
    {
        var conflicts = new List<string>();
        var declared = stated.Where(e => e.Kind is "front-matter" or "hint").ToList();
        var first = declared.FirstOrDefault();
        var clash = declared.FirstOrDefault(e => first is not null && e.Value != first.Value && !SameFamily(e.Value, first.Value));
        if (first is not null && clash is not null)
        {
            conflicts.Add($"{Where(first)} says {first.Value} but {Where(clash)} says {clash.Value}");
        }
        var claimed = stated.FirstOrDefault();
        if (claimed is not null && ranked.Count > 0)
        {
            var (topId, topScore) = ranked[0];
            var claimedScore = languages.ScoreOf(claimed.Value);
            if (topId != claimed.Value && !SameFamily(topId, claimed.Value) && topScore >= 6 && claimedScore < topScore / 3
                && !stated.Any(e => e.Value == topId))
            {
                var kinds = string.Join(", ", languages.Evidence(topId).Select(e => e.Kind).Distinct());
                conflicts.Add($"{Where(claimed)} says {claimed.Value} but the content points to {topId} ({kinds})");
            }
        }
        return conflicts;
    }

    private static string Where(TechEvidence e) => e.Line > 0 ? $"line {e.Line}" : "the front matter";

    private static bool SameFamily(string? a, string? b) =>
        a == b || (a is "typescript" or "javascript" && b is "typescript" or "javascript");

    private static void ReadStatements(List<SpecLines.Entry> lines, List<TechEvidence> languages, List<TechEvidence> frameworks)
    {
        foreach (var line in lines)
        {
            if (line.Code)
            {
                continue;
            }
            var prose = CodeSpan().Replace(LinkTarget().Replace(line.Text, "]"), " … ");
            foreach (var (id, pattern) in TechSignals.LanguageStatements)
            {
                var match = pattern.Match(prose);
                if (match.Success)
                {
                    languages.Add(new TechEvidence(id, "statement", Excerpt(match.Value), line.Line));
                }
            }
            foreach (var (id, pattern) in TechSignals.FrameworkStatements)
            {
                var match = pattern.Match(prose);
                if (match.Success)
                {
                    frameworks.Add(new TechEvidence(id, "statement", Excerpt(match.Value), line.Line));
                }
            }
        }
        // The earliest statement first; a sentence that names two languages keeps the order it names them in.
        languages.Sort((a, b) => StatementOrder(a).CompareTo(StatementOrder(b)));
        frameworks.Sort((a, b) => StatementOrder(a).CompareTo(StatementOrder(b)));
    }

    // Front matter and hint lines (kept first, in their order), then statements by line.
    private static (int, int) StatementOrder(TechEvidence e) => e.Kind == "statement" ? (1, e.Line) : (0, 0);

    private static void ReadPaths(List<SpecLines.Entry> lines, IReadOnlyList<string> referencedPaths, Scores languages, Scores frameworks)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            // EnumerateMatches and a span check: most tokens are words, and a word costs no Match and no string.
            foreach (var m in PathTokens().EnumerateMatches(line.Text))
            {
                if (PathToken.MayBePath(line.Text.AsSpan(m.Index, m.Length))
                    && PathToken.Normalize(line.Text.Substring(m.Index, m.Length), allowDirectories: false) is { } path)
                {
                    lineOf.TryAdd(path, line.Line);
                    if (line.Code)
                    {
                        AddPath(path, line.Line);
                    }
                }
            }
        }
        foreach (var path in referencedPaths)
        {
            AddPath(path, lineOf.GetValueOrDefault(path));
        }

        void AddPath(string path, int line)
        {
            if (seen.Add(path) && TechSignals.PathLanguage(path) is { } language)
            {
                languages.Add(language, PathWeight, new TechEvidence(language, "path", path, line));
                if (path.EndsWith(".tsx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsx", StringComparison.OrdinalIgnoreCase))
                {
                    frameworks.Add("react", PathWeight, new TechEvidence("react", "path", path, line));
                }
            }
        }
    }

    private static void ReadFences(List<SpecLines.Entry> lines, Scores languages)
    {
        var previous = -1;
        foreach (var line in lines)
        {
            if (!line.Code || line.Info.Length == 0)
            {
                continue;
            }
            // One count per fence: lines of one fence are consecutive entries with the same info.
            var fenceStart = line.Line - 1 != previous;
            previous = line.Line;
            if (fenceStart && TechSignals.FenceLanguage(line.Info) is { } language)
            {
                var weight = language is "bash" or "powershell" ? ShellFenceWeight : FenceWeight;
                languages.Add(language, weight, new TechEvidence(language, "fence", "```" + line.Info, line.Line - 1));
            }
        }
    }

    private static void ReadNames(List<SpecLines.Entry> lines, Scores frameworks, Scores languages)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            foreach (var (id, pattern) in TechSignals.FrameworkNames)
            {
                var match = pattern.Match(line.Text);
                if (!match.Success || counts.GetValueOrDefault(id) >= MaxNameLines)
                {
                    continue;
                }
                counts[id] = counts.GetValueOrDefault(id) + 1;
                var evidence = new TechEvidence(id, "name", Excerpt(match.Value), line.Line);
                frameworks.Add(id, NameWeight, evidence);
                var language = TechFrameworks.LanguageOf(id) ?? "javascript";
                if (counts[id] <= 3)
                {
                    languages.Add(language, NameWeight, evidence with { Value = language });
                }
            }
        }
    }

    private static void ReadSyntax(List<SpecLines.Entry> lines, Scores languages)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.Code && line.Info.Length > 0)
            {
                continue;
            }
            foreach (var (id, pattern) in TechSignals.Syntax)
            {
                if (counts.GetValueOrDefault(id) < MaxSyntaxLines && pattern.Match(line.Text) is { Success: true } match)
                {
                    counts[id] = counts.GetValueOrDefault(id) + 1;
                    languages.Add(id, NameWeight, new TechEvidence(id, "syntax", Excerpt(match.Value), line.Line));
                }
            }
        }
    }

    private static void ReadBuild(List<SpecLines.Entry> lines, Scores languages)
    {
        var tools = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            foreach (var (id, tool, pattern) in TechSignals.BuildSignals)
            {
                if (!tools.Contains(tool) && pattern.Match(line.Text) is { Success: true } match)
                {
                    tools.Add(tool);
                    languages.Add(id, BuildWeight, new TechEvidence(id, "build", Excerpt(match.Value), line.Line));
                }
            }
        }
    }

    private static string Excerpt(string text)
    {
        var collapsed = InlineText.CollapseWhitespace(text);
        return collapsed.Length <= 80 ? collapsed : collapsed[..79] + "…";
    }

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\]\([^)\s]*\)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"[\p{L}\p{N}_.\-@+/\\]+")]
    private static partial Regex PathTokens();

    /// <summary>Scores and evidence per id.</summary>
    private sealed class Scores
    {
        private readonly Dictionary<string, double> _scores = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(TechEvidence Evidence, double Weight)>> _evidence = new(StringComparer.Ordinal);

        public void Add(string id, double weight, TechEvidence evidence)
        {
            _scores[id] = _scores.GetValueOrDefault(id) + weight;
            if (!_evidence.TryGetValue(id, out var list))
            {
                _evidence[id] = list = [];
            }
            list.Add((evidence, weight));
        }

        public double ScoreOf(string id) => _scores.GetValueOrDefault(id);

        /// <summary>Highest score first; ties go to the language whose first clue comes earlier, then to the table's order.
        /// Sorted in place on plain arrays (LINQ's ordering over value-type pairs is JIT-compiled on every run's first parse:
        /// ReadyToRun cannot precompile it).</summary>
        public List<(string Id, double Score)> Ranked()
        {
            var ids = new string[_scores.Count];
            var scores = new double[ids.Length];
            var lines = new int[ids.Length];
            var n = 0;
            foreach (var (id, score) in _scores)
            {
                if (score > 0)
                {
                    (ids[n], scores[n], lines[n]) = (id, score, FirstLine(id));
                    n++;
                }
            }
            var order = StableOrder(n, (a, b) => scores[a] > scores[b] || (scores[a] == scores[b] && lines[a] < lines[b]));
            var ranked = new List<(string Id, double Score)>(n);
            foreach (var i in order)
            {
                ranked.Add((ids[i], scores[i]));
            }
            return ranked;
        }

        /// <summary>Strongest first, then in document order (then in the order found).</summary>
        public IEnumerable<TechEvidence> Evidence(string id)
        {
            if (!_evidence.TryGetValue(id, out var list))
            {
                return [];
            }
            var order = StableOrder(list.Count, (a, b) => list[a].Weight > list[b].Weight
                || (list[a].Weight == list[b].Weight && list[a].Evidence.Line < list[b].Evidence.Line));
            var evidence = new TechEvidence[order.Length];
            for (var k = 0; k < order.Length; k++)
            {
                evidence[k] = list[order[k]].Evidence;
            }
            return evidence;
        }

        /// <summary>The indexes 0..n-1 ordered by <paramref name="before"/>, equal ones kept in index order (an insertion sort:
        /// a spec has a handful of ids and clues).</summary>
        private static int[] StableOrder(int n, Func<int, int, bool> before)
        {
            var order = new int[n];
            for (var i = 0; i < n; i++)
            {
                var j = i;
                for (; j > 0 && before(i, order[j - 1]); j--)
                {
                    order[j] = order[j - 1];
                }
                order[j] = i;
            }
            return order;
        }

        /// <summary>Evidence beyond code fences and names: a path, a build file or command, or a statement.</summary>
        public bool HasStrongEvidence(string id) =>
            _evidence.TryGetValue(id, out var list) && list.Any(e => e.Evidence.Kind is "path" or "build" or "statement");

        /// <summary>Shell fences are how specs write commands to run (PRP validation steps), not what to build.</summary>
        public void DropShellFences()
        {
            foreach (var id in (string[])["bash", "powershell"])
            {
                if (_evidence.TryGetValue(id, out var list))
                {
                    _scores[id] -= list.Where(e => e.Evidence.Kind == "fence").Sum(e => e.Weight);
                    list.RemoveAll(e => e.Evidence.Kind == "fence");
                    if (list.Count == 0)
                    {
                        _scores.Remove(id);
                        _evidence.Remove(id);
                    }
                }
            }
        }

        /// <summary>How many kinds of clue (path, fence, name, build, syntax) point at <paramref name="id"/>.</summary>
        public int Kinds(string id) => _evidence.TryGetValue(id, out var list) ? list.Select(e => e.Evidence.Kind).Distinct().Count() : 0;

        /// <summary>npm, package.json and React point at JavaScript; with any TypeScript clue they count for TypeScript.</summary>
        public void MergeJavaScriptIntoTypeScript()
        {
            if (!_evidence.ContainsKey("typescript") || !_evidence.Remove("javascript", out var js))
            {
                return;
            }
            _scores.Remove("javascript");
            foreach (var (evidence, weight) in js)
            {
                // A .js file stays JavaScript evidence only in name; its weight supports the TypeScript project.
                Add("typescript", weight, evidence with { Value = "typescript" });
            }
        }

        private int FirstLine(string id)
        {
            var first = int.MaxValue;
            if (_evidence.TryGetValue(id, out var list))
            {
                for (var k = 0; k < list.Count; k++)
                {
                    first = Math.Min(first, list[k].Evidence.Line);
                }
            }
            return first;
        }
    }
}
