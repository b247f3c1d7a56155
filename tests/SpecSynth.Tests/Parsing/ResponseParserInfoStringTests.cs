using SpecSynth.Parsing;

namespace SpecSynth.Tests.Parsing;

public sealed class ResponseParserInfoStringTests
{
    private static ParsedResponse ParseWithInfo(string info) =>
        ResponseParser.Parse($"Here is the file.\n\n```{info}\nline one\nline two\n```\n\nDone.\n");

    [Theory]
    [InlineData("csharp path=src/x.cs", "src/x.cs", "csharp")]
    [InlineData("csharp path=\"src/x.cs\"", "src/x.cs", "csharp")]
    [InlineData("csharp path='src/x.cs'", "src/x.cs", "csharp")]
    [InlineData("python path=\"docs/My Notes/x.py\"", "docs/My Notes/x.py", "python")]
    [InlineData("python file=app/main.py", "app/main.py", "python")]
    [InlineData("python filename=app/main.py", "app/main.py", "python")]
    [InlineData("python filepath=app/main.py", "app/main.py", "python")]
    [InlineData("filename=main.py", "main.py", "python")]
    [InlineData("ts title=\"web/app.ts\"", "web/app.ts", "typescript")]
    [InlineData("src/x.cs", "src/x.cs", "csharp")]
    [InlineData("x.cs", "x.cs", "csharp")]
    [InlineData("csharp:src/x.cs", "src/x.cs", "csharp")]
    [InlineData("csharp src/x.cs", "src/x.cs", "csharp")]
    [InlineData("cs path=src/x.cs", "src/x.cs", "csharp")]
    [InlineData("text path=notes/todo.txt", "notes/todo.txt", null)]
    [InlineData("text path=config/app.json", "config/app.json", "json")]
    [InlineData("{.yaml file=\"deploy/app.yml\"}", "deploy/app.yml", "yaml")]
    [InlineData("Dockerfile", "Dockerfile", "dockerfile")]
    [InlineData("csharp {path=src/x.cs}", "src/x.cs", "csharp")]
    [InlineData("csharp src\\x.cs", "src/x.cs", "csharp")]
    [InlineData("   csharp   path=src/x.cs   ", "src/x.cs", "csharp")]
    public void Info_string_names_the_path_and_language(string info, string path, string? language)
    {
        var parsed = ParseWithInfo(info);

        var file = Assert.Single(parsed.Files);
        Assert.Equal(path, file.Path);
        Assert.Equal(language, file.Language);
        Assert.Equal("line one\nline two\n", file.Content);
        Assert.Equal(4, file.LineStart);
        Assert.True(file.IsComplete);
        Assert.Empty(parsed.Warnings);
        Assert.Equal("Here is the file.\n\nDone.", parsed.Explanation);
    }

    [Theory]
    [InlineData("csharp")]
    [InlineData("")]
    [InlineData("text")]
    [InlineData("csharp title=\"Example usage\"")]
    [InlineData("csharp showLineNumbers")]
    [InlineData("console")]
    [InlineData("vb.net")]
    public void Info_string_without_a_clear_path_names_no_file(string info)
    {
        var parsed = ParseWithInfo(info);

        Assert.Empty(parsed.Files);
        Assert.Contains("names no file path", Assert.Single(parsed.Warnings), StringComparison.Ordinal);
        Assert.Contains("line one\nline two", parsed.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cs", "csharp")]
    [InlineData("C#", "csharp")]
    [InlineData("CSharp", "csharp")]
    [InlineData("py", "python")]
    [InlineData("python3", "python")]
    [InlineData("yml", "yaml")]
    [InlineData("sh", "bash")]
    [InlineData("shell", "bash")]
    [InlineData("TypeScript", "typescript")]
    [InlineData("js", "javascript")]
    [InlineData("rs", "rust")]
    [InlineData("md", "markdown")]
    [InlineData("golang", "go")]
    [InlineData("kotlin", "kotlin")]
    public void Info_string_language_is_normalised(string word, string language)
    {
        var parsed = ParseWithInfo(word + " path=src/file.txt");

        Assert.Equal(language, Assert.Single(parsed.Files).Language);
    }

    [Theory]
    [InlineData("src/a.cs", "csharp")]
    [InlineData("a.py", "python")]
    [InlineData("web/a.ts", "typescript")]
    [InlineData("web/a.tsx", "tsx")]
    [InlineData("web/a.js", "javascript")]
    [InlineData("a.json", "json")]
    [InlineData("a.xml", "xml")]
    [InlineData("a.yaml", "yaml")]
    [InlineData("a.yml", "yaml")]
    [InlineData("a.toml", "toml")]
    [InlineData("docs/a.md", "markdown")]
    [InlineData("a.html", "html")]
    [InlineData("a.css", "css")]
    [InlineData("db/a.sql", "sql")]
    [InlineData("run.sh", "bash")]
    [InlineData("main.go", "go")]
    [InlineData("src/main.rs", "rust")]
    [InlineData("src/Main.java", "java")]
    [InlineData("src/App/App.csproj", "xml")]
    [InlineData("Directory.Build.props", "xml")]
    [InlineData("Dockerfile", "dockerfile")]
    [InlineData("build/Makefile", "makefile")]
    [InlineData("requirements.txt", null)]
    [InlineData("src/data.zzz", null)]
    public void Language_is_inferred_from_the_extension_without_an_info_language(string path, string? language)
    {
        var parsed = ResponseParser.Parse($"```\n// filepath: {path}\ncontent\n```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal(path, file.Path);
        Assert.Equal(language, file.Language);
    }
}
