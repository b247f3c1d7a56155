using SpecSynth.Parsing;

namespace SpecSynth.Validation;

/// <summary>
/// Checks the syntax of generated files without running them. Built in: C# (Roslyn parser, errors only; <c>.csx</c>
/// as a script), XML (including <c>.csproj</c>, <c>.props</c>, <c>.targets</c>, <c>.slnx</c>, <c>.resx</c>, <c>.svg</c>),
/// JSON, YAML, TOML and JavaScript (Acornima: <c>.js</c> as module then script, <c>.mjs</c> module, <c>.cjs</c> script).
/// Other languages (TypeScript, Python, Go...) go to the external checkers configured in
/// <see cref="ValidationOptions.ExternalCheckers"/>, or are reported <see cref="ValidationStatus.Unvalidated"/>:
/// never as valid. The language comes from the file's extension, else from <see cref="GeneratedFile.Language"/>.
/// </summary>
/// <remarks>Roslyn and Acornima load only when a file of their language is validated. Built-in parsers run on a
/// thread with a large stack; a file whose brackets nest deeper than 10,000 levels, or whose parser throws (Tomlyn's
/// depth limit of 64), is reported unvalidated with the reason. Thread-safe.</remarks>
/// <param name="timeProvider">Time for checker timeouts (the run's clock).</param>
/// <param name="options">Checkers and limits; <c>null</c> uses <see cref="ValidationOptions.Default"/>.</param>
internal sealed class CodeValidator(TimeProvider timeProvider, ValidationOptions? options = null)
{
    private readonly ValidationOptions _options = options ?? ValidationOptions.Default;
    private readonly TimeProvider _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>The clock of checker timeouts (also the default check runner's).</summary>
    public TimeProvider Time => _time;

    /// <summary>Validates every file, one at a time, in the order given.</summary>
    /// <param name="files">The generated files (relative paths).</param>
    /// <param name="cancellationToken">Stops between files and kills a running checker.</param>
    /// <returns>One result per file, in the same order.</returns>
    public async Task<IReadOnlyList<FileValidation>> ValidateAsync(IReadOnlyList<GeneratedFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var results = new List<FileValidation>(files.Count);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await ValidateFileAsync(file, cancellationToken).ConfigureAwait(false));
        }
        return results;
    }

    /// <summary>Validates one file.</summary>
    /// <param name="file">The generated file.</param>
    /// <param name="cancellationToken">Kills a running checker.</param>
    public async Task<FileValidation> ValidateFileAsync(GeneratedFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var language = LanguageOf(file);
        if (CheckerFor(file.Path, language) is { } command)
        {
            return await ExternalChecker.CheckAsync(command, file.Path, file.Content, _options, _time, cancellationToken).ConfigureAwait(false);
        }
        if (!HasBuiltIn(language))
        {
            var what = language is null ? "its language is unknown" : $"no validator for {language} (configure an external checker)";
            return new FileValidation(file.Path, ValidationStatus.Unvalidated, null,
                [new Diagnostic(file.Path, 0, 0, $"not validated: {what}", Diagnostic.Info)]);
        }
        if (DeepStack.Nesting(file.Content) > DeepStack.MaxNesting)
        {
            return new FileValidation(file.Path, ValidationStatus.Unvalidated, null,
                [new Diagnostic(file.Path, 0, 0, $"not validated: brackets nest deeper than {DeepStack.MaxNesting} levels", Diagnostic.Warning)]);
        }
        SyntaxCheck check;
        try
        {
            check = DeepStack.Run(() => BuiltIn(file.Path, file.Content, language!, cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new FileValidation(file.Path, ValidationStatus.Unvalidated, null,
                [new Diagnostic(file.Path, 0, 0, $"not validated: the {language} validator failed ({ex.GetType().Name}: {ex.Message})", Diagnostic.Warning)]);
        }
        return new FileValidation(file.Path, check.Diagnostics.Count == 0 ? ValidationStatus.Valid : ValidationStatus.Invalid,
            check.Validator, check.Diagnostics);
    }

    /// <summary>The normalised language used to pick a validator, or <c>null</c>.</summary>
    internal static string? LanguageOf(GeneratedFile file) =>
        Languages.FromPath(file.Path) ?? (file.Language is { Length: > 0 } l ? Languages.Normalize(l) : null);

    private string? CheckerFor(string path, string? language)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext.Length > 1 && _options.ExternalCheckers.TryGetValue(ext, out var byExt))
        {
            return byExt;
        }
        return language is not null && _options.ExternalCheckers.TryGetValue(language, out var byLanguage) ? byLanguage : null;
    }

    private static bool HasBuiltIn(string? language) => language is "csharp" or "javascript" or "json" or "xml" or "yaml" or "toml";

    private SyntaxCheck BuiltIn(string path, string content, string language, CancellationToken cancellationToken) => language switch
    {
        "csharp" => CSharpSyntax.Check(path, content, _options.MaxDiagnosticsPerFile, cancellationToken),
        "javascript" => JavaScriptSyntax.Check(path, content),
        "json" => DataSyntax.Json(path, content),
        "xml" => DataSyntax.Xml(path, content),
        "yaml" => YamlSyntax.Check(path, content),
        "toml" => DataSyntax.Toml(path, content, _options.MaxDiagnosticsPerFile),
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, "no built-in validator"),
    };
}
