using SpecSynth.Parsing;
using SpecSynth.Validation;

namespace SpecSynth.Tests.Validation;

public sealed class CodeValidatorBuiltInTests
{
    private static async Task<FileValidation> ValidateAsync(string path, string content, string? language = null)
    {
        var results = await new CodeValidator(TimeProvider.System).ValidateAsync([new GeneratedFile(path, content, language)]);
        return Assert.Single(results);
    }

    [Theory]
    [InlineData("src/Program.cs", "namespace A;\n\npublic static class P\n{\n    public static int Main() => 0;\n}\n", "roslyn")]
    [InlineData("src/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup />\n</Project>\n", "xml")]
    [InlineData("Directory.Build.props", "<Project>\n</Project>\n", "xml")]
    [InlineData("data/config.json", "{\n  \"a\": [1, 2, 3],\n  \"b\": \"é\"\n}\n", "json")]
    [InlineData("tsconfig.json", "{\n  // comment\n  \"compilerOptions\": { \"strict\": true, },\n}\n", "json")]
    [InlineData("ci.yml", "name: ci\non:\n  push:\n    branches: [main]\n", "yamldotnet")]
    [InlineData("pyproject.toml", "[project]\nname = \"x\"\nversion = \"1.0\"\n", "tomlyn")]
    [InlineData("web/app.js", "import fs from 'fs';\nexport const x = () => fs;\n", "acornima")]
    [InlineData("web/legacy.js", "with (Math) { var y = cos(0); }\n", "acornima")]
    [InlineData("web/tool.cjs", "#!/usr/bin/env node\nconst fs = require('fs');\nmodule.exports = fs;\n", "acornima")]
    [InlineData("web/mod.mjs", "export default async function f() { await 1; }\n", "acornima")]
    public async Task ValidFiles_AreValid_WithTheirValidator(string path, string content, string validator)
    {
        var result = await ValidateAsync(path, content);

        Assert.Equal(ValidationStatus.Valid, result.Status);
        Assert.Equal(validator, result.Validator);
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("src/Program.cs", "public class P\n{\n    void M() { int x = ; }\n}\n", 3, 24, "roslyn")]
    [InlineData("src/App.csproj", "<Project>\n  <PropertyGroup>\n</Project>\n", 3, 3, "xml")]
    [InlineData("data/config.json", "{\n  \"a\": 1,\n  \"b\": 2,\n}\n", 4, 1, "json")]
    [InlineData("data/config.json", "{\n  // no comments in strict JSON\n  \"a\": 1\n}\n", 2, 3, "json")]
    [InlineData("data/u.json", "{\n  \"é\": x\n}\n", 2, 8, "json")]
    [InlineData("ci.yml", "name: ci\njobs:\n  build:\n    steps: [a, b\n  other: 1\n", 4, 14, "yamldotnet")]
    [InlineData("ci.yml", "a: b\n  c: d\n", 2, 4, "yamldotnet")]
    [InlineData("ci.yml", "a: 1\na: 2\n", 2, 1, "yamldotnet")]
    [InlineData("pyproject.toml", "[project]\nname = \"x\nversion = 1\n", 2, 10, "tomlyn")]
    [InlineData("web/app.js", "export function f() {\n  return 1 +;\n}\n", 2, 13, "acornima")]
    [InlineData("web/tool.cjs", "const a = 1;\nimport x from 'y';\n", 2, 1, "acornima")]
    public async Task BrokenFiles_AreInvalid_WithLineAndColumn(string path, string content, int line, int column, string validator)
    {
        var result = await ValidateAsync(path, content);

        Assert.Equal(ValidationStatus.Invalid, result.Status);
        Assert.Equal(validator, result.Validator);
        var first = result.Diagnostics[0];
        Assert.Equal((path, line, column, Diagnostic.Error), (first.Path, first.Line, first.Column, first.Severity));
        Assert.False(string.IsNullOrWhiteSpace(first.Message));
    }

    [Fact]
    public async Task CSharp_ReportsEveryErrorButNoWarnings()
    {
        var result = await ValidateAsync("A.cs", "class A\n{\n    void M() { int x = ; }\n    void N() { return }\n}\n");

        Assert.Equal(ValidationStatus.Invalid, result.Status);
        Assert.True(result.Diagnostics.Count >= 2);
        Assert.All(result.Diagnostics, d => Assert.Equal(Diagnostic.Error, d.Severity));
        Assert.Contains(result.Diagnostics, d => d.Line == 4);
        Assert.StartsWith("CS", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CSharp_MissingReferencesAreNotSyntaxErrors()
    {
        var result = await ValidateAsync("A.cs", "using Not.A.Real.Namespace;\nclass A { Missing M() => new Missing(); }\n");

        Assert.Equal(ValidationStatus.Valid, result.Status);
    }

    [Fact]
    public async Task Xml_WithADoctype_IsCheckedWithoutProcessingIt()
    {
        var result = await ValidateAsync("page.xml", "<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<r>ok</r>\n");

        Assert.Equal(ValidationStatus.Valid, result.Status);
    }

    [Fact]
    public async Task Language_FallsBackToTheFenceLanguage_WhenTheExtensionSaysNothing()
    {
        var result = await ValidateAsync("settings", "{ \"a\": }", "json");

        Assert.Equal(ValidationStatus.Invalid, result.Status);
        Assert.Equal("json", result.Validator);
    }

    [Theory]
    [InlineData("src/index.ts", "typescript")]
    [InlineData("main.go", "go")]
    [InlineData("app.py", "python")]
    public async Task LanguagesWithoutAValidator_AreUnvalidated_NeverValid(string path, string language)
    {
        var result = await ValidateAsync(path, "this is not even code {{{");

        Assert.Equal(ValidationStatus.Unvalidated, result.Status);
        Assert.Null(result.Validator);
        Assert.Contains(language, Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
        Assert.False(result.HasErrors);
    }

    [Theory]
    [InlineData("a.js")]
    [InlineData("a.cs")]
    [InlineData("a.yml")]
    public async Task AbsurdNesting_IsUnvalidated_InsteadOfOverflowingTheStack(string path)
    {
        var result = await ValidateAsync(path, "x = " + new string('[', 200_000) + new string(']', 200_000));

        Assert.Equal(ValidationStatus.Unvalidated, result.Status);
        Assert.Contains("nest deeper", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeepNesting_WithinTheLimit_IsParsed()
    {
        var result = await ValidateAsync("a.js", "var a = " + new string('(', 3000) + "1" + new string(')', 3000) + ";");

        Assert.Equal(ValidationStatus.Valid, result.Status);
    }

    [Fact]
    public async Task AValidatorThatThrows_LeavesTheFileUnvalidated_WithTheReason()
    {
        var result = await ValidateAsync("a.toml", "a = " + new string('[', 100) + new string(']', 100));

        Assert.Equal(ValidationStatus.Unvalidated, result.Status);
        Assert.Contains("the toml validator failed", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFiles_AreUnvalidated()
    {
        var result = await ValidateAsync("notes/README", "anything");

        Assert.Equal(ValidationStatus.Unvalidated, result.Status);
    }

    [Fact]
    public async Task Results_KeepTheOrderOfTheFiles()
    {
        GeneratedFile[] files = [new("b.json", "{}", null), new("a.go", "package a", null), new("c.cs", "class", null)];

        var results = await new CodeValidator(TimeProvider.System).ValidateAsync(files);

        Assert.Equal(["b.json", "a.go", "c.cs"], results.Select(r => r.Path));
        Assert.Equal([ValidationStatus.Valid, ValidationStatus.Unvalidated, ValidationStatus.Invalid], results.Select(r => r.Status));
    }
}
