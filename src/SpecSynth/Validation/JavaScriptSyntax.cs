using System.Runtime.CompilerServices;
using Acornima;

namespace SpecSynth.Validation;

/// <summary>
/// JavaScript syntax through Acornima: <c>.mjs</c> as a module, <c>.cjs</c> as a script, anything else as a module
/// first and then as a script (the script's error is reported when both fail, unless the module's comes later in
/// the file). Kept in its own type so that Acornima loads only when a JavaScript file is validated.
/// </summary>
internal static class JavaScriptSyntax
{
    public const string Name = "acornima";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static SyntaxCheck Check(string path, string content)
    {
        var parser = new Parser(new ParserOptions { AllowHashBang = true });
        var ext = Path.GetExtension(path);
        if (ext.Equals(".cjs", StringComparison.OrdinalIgnoreCase))
        {
            return Result(path, Try(() => parser.ParseScript(content, path)));
        }
        var module = Try(() => parser.ParseModule(content, path));
        if (module is null || ext.Equals(".mjs", StringComparison.OrdinalIgnoreCase))
        {
            return Result(path, module);
        }
        var script = Try(() => parser.ParseScript(content, path));
        if (script is null)
        {
            return Result(path, null);
        }
        // Both failed: report the error that got further into the file.
        return Result(path, Later(module, script));
    }

    private static ParseErrorException? Try(Action parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (ParseErrorException ex)
        {
            return ex;
        }
    }

    private static ParseErrorException Later(ParseErrorException a, ParseErrorException b) =>
        (b.LineNumber, b.Column).CompareTo((a.LineNumber, a.Column)) > 0 ? b : a;

    private static SyntaxCheck Result(string path, ParseErrorException? error) => error is null
        ? new SyntaxCheck(Name, [])
        : SyntaxCheck.One(Name, path, error.LineNumber, error.Column + 1, error.Error?.Description ?? error.Message);
}
