using SpecSynth.Context.Index;
using SpecSynth.Context.Relevance;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Jobs;

/// <summary>
/// Builds or refreshes a project's context index (<c>specsynth index</c>, and the CLI's background build after a
/// <c>context</c> or <c>generate</c> that found none): the same folder, walk and configuration as <c>context</c> (the
/// project's, or with only an output folder, that folder's files and the working directory's configuration), then a ranking
/// against a spec that asks for nothing, inline, which reads every file the index does not know and writes the index. At
/// most one per project at a time (<see cref="IndexBuildLock"/>): another returns at once.
/// </summary>
internal static class IndexBuild
{
    /// <summary>The spec every build ranks against: its words do not change what the index records.</summary>
    private const string NoSpec = "# index\n";

    public static async Task<IndexResult> RunAsync(RunEnvironment env, IndexRequest request, CancellationToken ct)
    {
        var started = env.Time.GetTimestamp();
        var (_, config) = RunSetup.LoadConfig(env, request.ProjectRoot, null, null);
        var root = RunSetup.ContextFolder(env, request.ProjectRoot, request.OutputRoot);
        if (!Directory.Exists(root))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"--project {root} does not exist.");
        }
        var index = ContextIndex.For(env.Services.StateDir, config.Context with { IndexBuild = "inline" }, env.Time)
            ?? throw new SpecSynthException(ErrorKind.InvalidInput, "The context index is off ([context] index = false): nothing to build.");
        var indexPath = index.PathFor(root);
        using var building = IndexBuildLock.TryTake(indexPath);
        if (building is null)
        {
            return new IndexResult(root, 0, 0, 0, 0, Seconds(env, started), AlreadyBuilding: true);
        }
        var project = await new ProjectScanner(ContextPlanView.ContextScan.WithState(env.Services.StateDir, config.Context))
            .ScanAsync(root, ct).ConfigureAwait(false);
        await new RelevanceRanker(null, index).RankAsync(SpecParser.Parse(NoSpec), project, ct).ConfigureAwait(false);
        var stats = index.Last;
        return new IndexResult(root, project.Entries.Count, stats is null ? 0 : stats.Reused + stats.Scanned, stats?.Scanned ?? 0,
            SizeOf(indexPath) + SizeOf(IndexFile.DeltaPathOf(indexPath)), Seconds(env, started), AlreadyBuilding: false);
    }

    private static long SizeOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    private static double Seconds(RunEnvironment env, long started) => Math.Round(env.Time.GetElapsedTime(started).TotalSeconds, 3);
}
