namespace SpecSynth.Usage;

/// <summary>The <c>[audit]</c> settings of the audit log (<c>audit.jsonl</c> in the state folder).</summary>
public sealed record AuditOptions
{
    /// <summary><c>[audit] include_prompts</c>: also write each request's full messages and reply (default <c>false</c>:
    /// only their SHA-256).</summary>
    public bool IncludePrompts { get; init; }
}
