using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SpecSynth.Validation;

/// <summary>
/// C# syntax through Roslyn's parser (errors only; no semantic model, so missing references are not errors).
/// Kept in its own type so that Roslyn loads only when a C# file is actually validated.
/// </summary>
internal static class CSharpSyntax
{
    public const string Name = "roslyn";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static SyntaxCheck Check(string path, string content, int max, CancellationToken cancellationToken)
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.None,
            path.EndsWith(".csx", StringComparison.OrdinalIgnoreCase) ? SourceCodeKind.Script : SourceCodeKind.Regular);
        var tree = CSharpSyntaxTree.ParseText(content, options, path, cancellationToken: cancellationToken);
        var diagnostics = tree.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Take(max)
            .Select(d =>
            {
                var start = d.Location.GetLineSpan().StartLinePosition;
                return new Diagnostic(path, start.Line + 1, start.Character + 1, $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}", Diagnostic.Error);
            })
            .ToList();
        return new SyntaxCheck(Name, diagnostics);
    }
}
