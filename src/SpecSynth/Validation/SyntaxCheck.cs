namespace SpecSynth.Validation;

/// <summary>What one built-in syntax check found: the validator's name and the errors (empty when valid).</summary>
/// <param name="Validator">The validator name reported in <see cref="FileValidation.Validator"/>.</param>
/// <param name="Diagnostics">The errors found.</param>
internal sealed record SyntaxCheck(string Validator, IReadOnlyList<Diagnostic> Diagnostics)
{
    public static SyntaxCheck One(string validator, string path, int line, int column, string message) =>
        new(validator, [new Diagnostic(path, Math.Max(0, line), Math.Max(0, column), message, Diagnostic.Error)]);
}
