namespace SpecSynth.Validation;

/// <summary>One problem a validator reported.</summary>
/// <param name="Path">The generated file's relative path.</param>
/// <param name="Line">1-based line, or 0 when the validator gave none.</param>
/// <param name="Column">1-based column, or 0 when the validator gave none.</param>
/// <param name="Message">What is wrong, as the validator said it.</param>
/// <param name="Severity"><c>error</c>, <c>warning</c> or <c>info</c>.</param>
internal sealed record Diagnostic(string Path, int Line, int Column, string Message, string Severity)
{
    /// <summary>The error severity.</summary>
    public const string Error = "error";

    /// <summary>The warning severity.</summary>
    public const string Warning = "warning";

    /// <summary>The info severity.</summary>
    public const string Info = "info";

    /// <summary><c>path:line:column: severity: message</c> (line and column left out when unknown).</summary>
    public override string ToString()
    {
        var at = Line <= 0 ? Path : Column <= 0 ? $"{Path}:{Line}" : $"{Path}:{Line}:{Column}";
        return $"{at}: {Severity}: {Message}";
    }
}
