using System.Text.Json;

namespace SpecSynth.Batching;

/// <summary>The flags of a batch run that <c>batch resume</c> needs again (folders as full paths), stored as JSON.
/// <see cref="ContextRoot"/> is the folder the run scanned for context (the output folder when no project was given), so
/// the resumed run plans the very prompts that were submitted (<c>null</c> in batches stored before it was kept).</summary>
internal sealed record BatchFlags(string? ProjectRoot, string? OutputRoot, string? Providers, string? Model, int RepairRounds, string? Check,
    double CheckTimeoutSeconds, bool WriteInvalid, bool SelfReview, bool AllowTemplate, bool ExactTokens, decimal? MaxCost, string? ContextRoot = null)
{
    /// <summary>The flags of <paramref name="request"/>, folders made full with <paramref name="fullPath"/>.</summary>
    public static string From(GenerateRequest request, Func<string, string> fullPath, string project) => JsonSerializer.Serialize(new BatchFlags(
        project, request.OutputRoot is { } o ? fullPath(o) : null, request.Providers, request.Model, request.RepairRounds, request.Check,
        request.CheckTimeout.TotalSeconds, request.WriteInvalid, request.SelfReview, request.AllowTemplate, request.ExactTokens, request.MaxCost,
        request.ProjectRoot is { } p ? fullPath(p) : request.OutputRoot is { } c ? fullPath(c) : project));

    /// <summary><paramref name="request"/> (progress, cache mode, dry run) with the stored flags.</summary>
    public static GenerateRequest Apply(string json, GenerateRequest request)
    {
        var f = JsonSerializer.Deserialize<BatchFlags>(json) ?? throw new SpecSynthException(ErrorKind.InvalidInput, "the batch's stored flags are unreadable");
        return request with
        {
            ProjectRoot = f.ProjectRoot,
            OutputRoot = f.OutputRoot,
            Providers = request.Providers ?? f.Providers,
            Model = request.Model ?? f.Model,
            RepairRounds = f.RepairRounds,
            Check = f.Check,
            CheckTimeout = TimeSpan.FromSeconds(f.CheckTimeoutSeconds),
            WriteInvalid = f.WriteInvalid,
            SelfReview = f.SelfReview,
            AllowTemplate = f.AllowTemplate,
            ExactTokens = f.ExactTokens,
            MaxCost = request.MaxCost ?? f.MaxCost,
            ContextRoot = f.ContextRoot,
        };
    }
}
