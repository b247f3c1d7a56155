namespace SpecSynth.Validation;

/// <summary>The validation result of one generated file.</summary>
/// <param name="Path">The file's relative path.</param>
/// <param name="Status">Whether it was validated and what was found.</param>
/// <param name="Validator">How it was validated (<c>roslyn</c>, <c>json</c>, <c>acornima</c>, <c>external: python3</c>...),
/// or <c>null</c> when no validator ran.</param>
/// <param name="Diagnostics">The problems found (errors for <see cref="ValidationStatus.Invalid"/>; for other statuses,
/// notes such as why a checker did not run).</param>
internal sealed record FileValidation(string Path, ValidationStatus Status, string? Validator, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Whether any <see cref="Diagnostic.Error"/> diagnostic was reported.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Diagnostic.Error);
}
