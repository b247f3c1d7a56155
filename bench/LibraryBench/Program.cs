using System.Diagnostics;
using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using DiffPlex;
using DiffPlex.Chunkers;
using MAB.DotIgnore;
using SpecSynth.Output;
using SpecSynth.Projects;
using SpecSynth.Tests.Projects;
using SpecSynth.Validation;

// Our diff, ignore matcher and process runner against DiffPlex, MAB.DotIgnore and CliWrap: the same cases for
// correctness first, then the median of several timed rounds. Prints plain lines for docs/benchmarks.md.
var only = args.Length > 0 ? args[0] : "all";
if (only is "all" or "ignore")
{
    Ignore();
}
if (only is "all" or "diff")
{
    Diff();
}
if (only is "all" or "process")
{
    await ProcessAsync();
}

static void Ignore()
{
    Console.WriteLine("== ignore matcher: git's t3070 wildmatch rows and t0008 / gitignore(5) trees (root file only for MAB)");
    int ours = 0, mab = 0, total = 0;
    foreach (var (path, pattern, matches) in GitIgnoreCases.Wildmatch)
    {
        total++;
        ours += (GitIgnore.Parse([pattern]).Match(path, false) == IgnoreDecision.Ignored) == matches ? 1 : 0;
        bool theirs;
        try
        {
            theirs = new IgnoreRule(pattern, MatchFlags.PATHNAME).IsMatch(path, false);
        }
        catch (Exception)
        {
            theirs = !matches; // an exception is a wrong answer
        }
        if (theirs == matches)
        {
            mab++;
        }
        else
        {
            Console.WriteLine($"  MAB wrong: wildmatch '{pattern}' on '{path}' (git: {matches})");
        }
    }
    Console.WriteLine($"wildmatch rows: ours {ours}/{total}, MAB.DotIgnore {mab}/{total}");
    int oursTree = 0, mabTree = 0, treeTotal = 0;
    foreach (var (name, files, checks) in GitIgnoreCases.Trees.Where(t => t.Files.All(f => f.Folder == "")))
    {
        IgnoreList? list = null;
        try
        {
            list = new IgnoreList(files[0].Content.Split('\n'), MatchFlags.PATHNAME);
        }
        catch (Exception ex)
        {
            Console.WriteLine($"  MAB throws on the ignore file of {name}: {ex.GetType().Name} ({ex.Message})");
        }
        var rules = GitIgnore.Parse(files[0].Content);
        foreach (var (check, ignored) in checks)
        {
            treeTotal++;
            var isDirectory = check.EndsWith('/');
            var path = isDirectory ? check[..^1] : check;
            oursTree += OursDecide(rules, path, isDirectory) == ignored ? 1 : 0;
            bool theirs;
            try
            {
                theirs = list is null ? !ignored : list.IsIgnored(path, isDirectory);
            }
            catch (Exception)
            {
                theirs = !ignored;
            }
            if (theirs == ignored)
            {
                mabTree++;
            }
            else
            {
                Console.WriteLine($"  MAB wrong: {name}: '{check}' (git: {(ignored ? "ignored" : "not ignored")})");
            }
        }
    }
    Console.WriteLine($"tree checks: ours {oursTree}/{treeTotal}, MAB.DotIgnore {mabTree}/{treeTotal}");

    // Speed: a typical .gitignore against the paths of a generated tree (20 000 files), both asked the same question.
    var gitignore = string.Join('\n', "bin/", "obj/", "*.log", "node_modules/", "/dist", ".#*", "*.tmp", "coverage/",
        "**/generated/**", "src/**/*.g.cs", "!keep.log", "docs/_build/", "*.py[cod]", ".env*", "*~");
    var paths = Enumerable.Range(0, 20_000).Select(i =>
        $"src/mod{i % 40}/sub{i % 7}/{(i % 11 == 0 ? "generated/" : "")}file{i}{(i % 5) switch { 0 => ".cs", 1 => ".log", 2 => ".py", 3 => ".g.cs", _ => ".txt" }}").ToArray();
    var oursRules = GitIgnore.Parse(gitignore);
    var mabList = new IgnoreList(gitignore.Split('\n'), MatchFlags.PATHNAME);
    var agree = paths.Count(p => (oursRules.Match(p, false) == IgnoreDecision.Ignored) == mabList.IsIgnored(p, false));
    Console.WriteLine($"speed tree: {paths.Length} paths, 15 rules; the two agree on {agree}");
    Report("ours (GitIgnore.Match)", () => paths.Count(p => oursRules.Match(p, false) == IgnoreDecision.Ignored), paths.Length);
    Report("MAB.DotIgnore (IgnoreList.IsIgnored)", () => paths.Count(p => mabList.IsIgnored(p, false)), paths.Length);
    Report("ours, parse 15 rules", () => GitIgnore.Parse(gitignore).Rules.Count, 1);
    Report("MAB.DotIgnore, parse 15 rules", () => new IgnoreList(gitignore.Split('\n'), MatchFlags.PATHNAME).Rules.Count, 1);
}

static bool OursDecide(GitIgnore rules, string path, bool isDirectory)
{
    var segments = path.Split('/');
    var prefix = "";
    for (var i = 0; i < segments.Length; i++)
    {
        var last = i == segments.Length - 1;
        if (rules.Match(prefix + segments[i], !last || isDirectory) == IgnoreDecision.Ignored)
        {
            return true;
        }
        prefix += segments[i] + "/";
    }
    return false;
}

static void Diff()
{
    // UnifiedDiff now runs DiffPlex (the hand-written Myers it replaced measured 300/300 minimal, 0.080 / 10.9 / 412 ms
    // on the three inputs below in the same session as DiffPlex's 0.079 / 10.0 / 240 ms).
    Console.WriteLine("== diff: minimal (deletions equal to a dynamic-programming LCS) on random inputs, then speed");
    var random = new Random(1234);
    int minimal = 0, plexMinimal = 0, rounds = 300;
    for (var round = 0; round < rounds; round++)
    {
        var a = Enumerable.Range(0, random.Next(0, 30)).Select(_ => random.Next(0, 4)).ToArray();
        var b = Enumerable.Range(0, random.Next(0, 30)).Select(_ => random.Next(0, 4)).ToArray();
        var lcs = Lcs(a, b);
        var textA = string.Concat(a.Select(x => x + "\n"));
        var textB = string.Concat(b.Select(x => x + "\n"));
        var deleted = UnifiedDiff.Create("f", "f", textA, textB, 0).Split('\n').Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal));
        minimal += a.Length - deleted == lcs ? 1 : 0;
        // DiffPlex's own LineChunker: an empty text is one empty line to it, so a diff from or to nothing is one line off.
        var plex = Differ.Instance.CreateDiffs(textA, textB, false, false, LineChunker.Instance);
        plexMinimal += a.Length - plex.DiffBlocks.Sum(d => d.DeleteCountA) == lcs ? 1 : 0;
    }
    Console.WriteLine($"minimal on {rounds} random pairs: UnifiedDiff (DiffPlex, exact-line chunker) {minimal}, DiffPlex with its LineChunker {plexMinimal}");
    var oldText = Numbers(5000, i => i.ToString(CultureInfo.InvariantCulture));
    var scattered = Numbers(5000, i => i % 37 == 0 ? "changed " + i : i.ToString(CultureInfo.InvariantCulture));
    var unrelated = Numbers(5000, i => "other " + i);
    var small = Numbers(300, i => i.ToString(CultureInfo.InvariantCulture));
    var smallEdited = Numbers(300, i => i % 50 == 0 ? "x" + i : i.ToString(CultureInfo.InvariantCulture));
    foreach (var (name, a, b) in new[] { ("300 lines, 6 changed", small, smallEdited), ("5000 lines, 1 in 37 changed", oldText, scattered), ("5000 lines, all changed", oldText, unrelated) })
    {
        Report($"UnifiedDiff.Create, {name}", () => UnifiedDiff.Create("f", "f", a, b).Length, 1);
    }
}

static async Task ProcessAsync()
{
    Console.WriteLine("== child process: 20 runs of `true`; then a command that leaves a background child holding the pipes");
    var time = TimeProvider.System;
    await ReportAsync("ours (ChildProcess.RunAsync), true", async () =>
        (await ChildProcess.RunAsync(new ProcessStartInfo("true"), TimeSpan.FromSeconds(30), 64 * 1024, time, default)).ExitCode ?? -1, 20);
    await ReportAsync("CliWrap (ExecuteBufferedAsync), true", async () =>
        (await Cli.Wrap("true").WithValidation(CommandResultValidation.None).ExecuteBufferedAsync()).ExitCode, 20);
    const string background = "echo started; (sleep 8 &) ; exit 0";
    var watch = Stopwatch.StartNew();
    var ours = await ChildProcess.RunAsync(new ProcessStartInfo("sh") { ArgumentList = { "-c", background } }, TimeSpan.FromSeconds(30), 64 * 1024, time, default);
    Console.WriteLine($"ours, background child keeps the pipes: returned after {watch.Elapsed.TotalSeconds:0.0} s, exit {ours.ExitCode}");
    watch.Restart();
    var theirs = await Cli.Wrap("sh").WithArguments(["-c", background]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    Console.WriteLine($"CliWrap, background child keeps the pipes: returned after {watch.Elapsed.TotalSeconds:0.0} s, exit {theirs.ExitCode}");
}

static string Numbers(int count, Func<int, string> line) => string.Concat(Enumerable.Range(0, count).Select(i => line(i) + "\n"));

static int Lcs(int[] a, int[] b)
{
    var dp = new int[a.Length + 1, b.Length + 1];
    for (var i = 1; i <= a.Length; i++)
    {
        for (var j = 1; j <= b.Length; j++)
        {
            dp[i, j] = a[i - 1] == b[j - 1] ? dp[i - 1, j - 1] + 1 : Math.Max(dp[i - 1, j], dp[i, j - 1]);
        }
    }
    return dp[a.Length, b.Length];
}

static void Report(string name, Func<int> run, int perRound)
{
    run(); // warm-up (JIT)
    var times = new List<double>();
    for (var i = 0; i < 7; i++)
    {
        var watch = Stopwatch.StartNew();
        run();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    var median = times[times.Count / 2];
    Console.WriteLine(perRound > 1
        ? $"{name}: {median:0.00} ms per round of {perRound} ({median * 1000 / perRound:0.00} us each)"
        : $"{name}: {median:0.000} ms");
}

static async Task ReportAsync(string name, Func<Task<int>> run, int count)
{
    await run();
    var times = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var watch = Stopwatch.StartNew();
        await run();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"{name}: median {times[count / 2]:0.0} ms per run");
}
