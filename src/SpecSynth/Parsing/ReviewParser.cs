using System.Text.Json;
using System.Text.RegularExpressions;
using SpecSynth.Specs;

namespace SpecSynth.Parsing;

/// <summary>Reads the JSON object a review reply contains (in a ```json block or bare). Requirements the model
/// did not judge are reported as <see cref="RequirementStatus.Unknown"/>; an unreadable reply is an error.</summary>
internal static partial class ReviewParser
{
    public static CodeReview Parse(string reply, IReadOnlyList<Requirement> requirements)
    {
        var json = JsonBlock().Match(reply) is { Success: true } m ? m.Groups[1].Value : BareObject(reply);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json ?? "");
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new SpecSynthException(ErrorKind.UnusableOutput, "The review reply held no readable JSON object: " + ex.Message, ex);
        }
        var judged = Array(root, "requirements").Select(e => new RequirementFinding(
            Str(e, "requirement"), Status(Str(e, "status")), Str(e, "evidence"))).ToList();
        var findings = requirements.Count == 0 ? judged : requirements.Select((r, i) => Match(r, i, judged)).ToList();
        var issues = Array(root, "issues")
            .Select(e => new ReviewIssue(Str(e, "severity") is { Length: > 0 } s ? s.ToLowerInvariant() : "info", Str(e, "location"), Str(e, "message")))
            .OrderBy(i => i.Severity switch { "error" => 0, "warning" => 1, _ => 2 })
            .ToList();
        return new CodeReview { Requirements = findings, Issues = issues, Summary = Str(root, "summary") };
    }

    private static RequirementFinding Match(Requirement requirement, int index, List<RequirementFinding> judged)
    {
        var label = requirement.Id is null ? requirement.Text : requirement.Id + ": " + requirement.Text;
        var found = judged.FirstOrDefault(j => j.Requirement.Contains(requirement.Text, StringComparison.OrdinalIgnoreCase)
                || (requirement.Id is not null && j.Requirement.StartsWith(requirement.Id, StringComparison.OrdinalIgnoreCase)))
            ?? (index < judged.Count ? judged[index] : null);
        return found is null
            ? new RequirementFinding(label, RequirementStatus.Unknown, "The review did not judge this requirement.")
            : found with { Requirement = label };
    }

    private static RequirementStatus Status(string status) => status.ToLowerInvariant().Replace('-', '_').Replace(' ', '_') switch
    {
        "met" => RequirementStatus.Met,
        "partly" or "partial" or "partially_met" or "partly_met" => RequirementStatus.Partly,
        "not_met" or "unmet" or "missing" => RequirementStatus.NotMet,
        _ => RequirementStatus.Unknown,
    };

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object)
            : [];

    private static string Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static string? BareObject(string reply)
    {
        var start = reply.IndexOf('{', StringComparison.Ordinal);
        var end = reply.LastIndexOf('}');
        return start >= 0 && end > start ? reply[start..(end + 1)] : null;
    }

    [GeneratedRegex("```json[ \\t]*\\r?\\n(.*?)\\r?\\n[ \\t]*```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
