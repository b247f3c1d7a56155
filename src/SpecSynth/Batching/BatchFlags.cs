using System.Text.Json;

namespace SpecSynth.Batching;

/// <summary>The flags of a batch run that <c>batch resume</c> needs again (folders as full paths), stored as JSON.</summary>
internal sealed record BatchFlags(string? ProjectRoot, string? OutputRoot, string? Providers, string? Model, int RepairRounds, string? Check,
    double CheckTimeoutSeconds, bool WriteInvalid, bool SelfReview, bool AllowTemplate, bool ExactTokens, decimal? MaxCost)
{
    /// <summary>The flags of <paramref name="request"/>, folders made full with <paramref name="fullPath"/>.</summary>
    public static string From(GenerateRequest request, Func<string, string> fullPath, string project) => JsonSerializer.Serialize(new BatchFlags(
        project, request.OutputRoot is { } o ? fullPath(o) : null, request.Providers, request.Model, request.RepairRounds, request.Check,
        request.CheckTimeout.TotalSeconds, request.WriteInvalid, request.SelfReview, request.AllowTemplate, request.ExactTokens, request.MaxCost));

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
        };
    }
}
