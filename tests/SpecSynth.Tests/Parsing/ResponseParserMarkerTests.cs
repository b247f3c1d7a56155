using SpecSynth.Parsing;

namespace SpecSynth.Tests.Parsing;

public sealed class ResponseParserMarkerTests
{
    [Theory]
    [InlineData("csharp", "// filepath: src/x.cs", "src/x.cs")]
    [InlineData("python", "# filepath: app/x.py", "app/x.py")]
    [InlineData("html", "<!-- filepath: web/index.html -->", "web/index.html")]
    [InlineData("sql", "-- filepath: db/schema.sql", "db/schema.sql")]
    [InlineData("css", "/* filepath: web/site.css */", "web/site.css")]
    [InlineData("ini", "; filepath: conf/app.ini", "conf/app.ini")]
    [InlineData("batch", "REM filepath: scripts/build.bat", "scripts/build.bat")]
    [InlineData("batch", ":: filepath: scripts/run.cmd", "scripts/run.cmd")]
    [InlineData("csharp", "// File: src/x.cs", "src/x.cs")]
    [InlineData("python", "# file: x.py", "x.py")]
    [InlineData("csharp", "// path: src/x.cs", "src/x.cs")]
    [InlineData("csharp", "// Filename: src/x.cs", "src/x.cs")]
    [InlineData("csharp", "// File path: src/x.cs", "src/x.cs")]
    [InlineData("csharp", "//filepath:src/x.cs", "src/x.cs")]
    [InlineData("csharp", "    // filepath: src/x.cs   ", "src/x.cs")]
    [InlineData("csharp", "// filepath: `src/x.cs`", "src/x.cs")]
    [InlineData("csharp", "// filepath: \"src/x.cs\"", "src/x.cs")]
    [InlineData("dockerfile", "# filepath: Dockerfile", "Dockerfile")]
    [InlineData("csharp", "/// filepath: src/x.cs", "src/x.cs")]
    [InlineData("css", "/** filepath: web/site.css */", "web/site.css")]
    [InlineData("python", "## filepath: app/x.py", "app/x.py")]
    [InlineData("clojure", ";; filepath: src/core.clj", "src/core.clj")]
    [InlineData("latex", "% filepath: docs/paper.tex", "docs/paper.tex")]
    [InlineData("vb", "' filepath: src/Module1.vb", "src/Module1.vb")]
    [InlineData("tsx", "// filepath: app/(auth)/login/page.tsx", "app/(auth)/login/page.tsx")]
    [InlineData("csharp", "// File: src/x.cs (new file)", "src/x.cs")]
    [InlineData("csharp", "// src/x.cs", "src/x.cs")]
    [InlineData("python", "# main.py", "main.py")]
    [InlineData("python", "# app/util/helpers.py", "app/util/helpers.py")]
    [InlineData("markdown", "<!-- docs/guide.md -->", "docs/guide.md")]
    [InlineData("markdown", "<!-- filepath: README.md -->", "README.md")]
    public void First_line_marker_names_the_path_and_is_removed_from_the_content(string language, string marker, string path)
    {
        var parsed = ResponseParser.Parse($"Intro.\n```{language}\n{marker}\nbody();\n```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal(path, file.Path);
        Assert.Equal("body();\n", file.Content);
        Assert.Equal(4, file.LineStart);
        Assert.Empty(parsed.Warnings);
        Assert.Equal("Intro.", parsed.Explanation);
    }

    [Theory]
    [InlineData("csharp", "// Entry point of the application")]
    [InlineData("python", "#!/usr/bin/env python3")]
    [InlineData("bash", "#!/bin/sh")]
    [InlineData("c", "#include <stdio.h>")]
    [InlineData("csharp", "// see docs/guide for details")]
    [InlineData("csharp", "// TODO/FIXME")]
    [InlineData("csharp", "// Program")]
    [InlineData("sql", "-- select * from users")]
    [InlineData("csharp", "// https://example.com/docs/page.html")]
    [InlineData("markdown", "# README.md")]
    [InlineData("csharp", "var path = \"src/x.cs\";")]
    public void First_line_that_is_not_clearly_a_path_marker_names_no_file(string language, string firstLine)
    {
        var parsed = ResponseParser.Parse($"Intro.\n```{language}\n{firstLine}\nbody();\n```\n");

        Assert.Empty(parsed.Files);
        Assert.Single(parsed.Warnings);
        Assert.Contains(firstLine.Trim(), parsed.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Bare_path_comment_in_a_markdown_file_labelled_elsewhere_stays_content()
    {
        var parsed = ResponseParser.Parse("### README.md\n```markdown\n# README.md\n\nText.\n```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("README.md", file.Path);
        Assert.Equal("# README.md\n\nText.\n", file.Content);
        Assert.Equal(3, file.LineStart);
    }

    [Theory]
    [InlineData("#!/usr/bin/env bash", "# filepath: scripts/run.sh", "scripts/run.sh")]
    [InlineData("<?php", "// filepath: web/index.php", "web/index.php")]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<!-- filepath: config/app.xml -->", "config/app.xml")]
    public void Marker_after_a_required_first_line_is_removed_and_the_first_line_kept(string first, string marker, string path)
    {
        var parsed = ResponseParser.Parse($"```\n{first}\n{marker}\nbody\n```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal(path, file.Path);
        Assert.Equal($"{first}\nbody\n", file.Content);
        Assert.Equal(2, file.LineStart);
    }

    [Fact]
    public void Marker_only_on_a_later_line_is_not_a_marker()
    {
        var parsed = ResponseParser.Parse("```csharp\nusing System;\n// filepath: src/x.cs\n```\n");

        Assert.Empty(parsed.Files);
        Assert.Single(parsed.Warnings);
    }
}
