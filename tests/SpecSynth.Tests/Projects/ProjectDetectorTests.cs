using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

public sealed class ProjectDetectorTests
{
    public static TheoryData<string, string, string, string?> RootMarkers => new()
    {
        { "App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>", "csharp", "aspnetcore" },
        { "App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><FrameworkReference Include=\"Microsoft.AspNetCore.App\" /></ItemGroup></Project>", "csharp", "aspnetcore" },
        { "Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>", "csharp", "dotnet" },
        { "App.fsproj", "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>", "fsharp", "dotnet" },
        { "package.json", """{"dependencies":{"react":"18"}}""", "javascript", "react" },
        { "package.json", """{"dependencies":{"next":"14","react":"18"}}""", "javascript", "nextjs" },
        { "package.json", """{"dependencies":{"express":"4"},"devDependencies":{"typescript":"5"}}""", "typescript", "express" },
        { "package.json", """{"dependencies":{"vue":"3"}}""", "javascript", "vue" },
        { "package.json", """{"dependencies":{"@angular/core":"17"}}""", "javascript", "angular" },
        { "package.json", """{"devDependencies":{"svelte":"4"}}""", "javascript", "svelte" },
        { "package.json", """{"dependencies":{"@nestjs/core":"10","express":"4"}}""", "javascript", "nestjs" },
        { "package.json", """{"name":"plain"}""", "javascript", null },
        { "package.json", "not json", "javascript", null },
        { "pyproject.toml", "[project]\ndependencies = [\"Django>=4.2\"]\n", "python", "django" },
        { "requirements.txt", "fastapi==0.110\nuvicorn\n", "python", "fastapi" },
        { "setup.py", "setup(install_requires=['flask'])", "python", "flask" },
        { "requirements.txt", "requests\n", "python", null },
        { "requirements.txt", "FLASK==3.0\n", "python", "flask" },
        { "requirements.txt", "flask-cors\ndjangorestframework\n", "python", null },
        { "requirements.txt", "# café au lait\nDjango>=4.2\n", "python", "django" },
        { "requirements.txt", "# café au lait\nrequests\n", "python", null },
        { "Cargo.toml", "[dependencies]\nAxum = \"0.7\"\n", "rust", null },
        { "Cargo.toml", "[dependencies.axum]\nversion = \"0.7\"\n", "rust", "axum" },
        { "go.mod", "module x\nrequire github.com/gin-gonic/gin v1.9.1\n", "go", "gin" },
        { "go.mod", "module x\nrequire github.com/labstack/echo/v4 v4.11.0\n", "go", "echo" },
        { "Cargo.toml", "[dependencies]\naxum = \"0.7\"\ntokio = { version = \"1\" }\n", "rust", "axum" },
        { "Cargo.toml", "[dependencies]\nactix-web = \"4\"\n", "rust", "actix-web" },
        { "Cargo.toml", "[dependencies]\nserde = \"1\"\n", "rust", null },
        { "pom.xml", "<project><parent><groupId>org.springframework.boot</groupId></parent></project>", "java", "spring" },
        { "build.gradle.kts", "plugins { kotlin(\"jvm\") version \"1.9\"; id(\"org.springframework.boot\") }", "kotlin", "spring" },
        { "build.gradle", "apply plugin: 'java'", "java", null },
        { "Gemfile", "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n", "ruby", "rails" },
        { "composer.json", """{"require":{"laravel/framework":"^10.0"}}""", "php", "laravel" },
        { "Package.swift", "// swift-tools-version:5.9\nimport PackageDescription", "swift", null },
        { "CMakeLists.txt", "cmake_minimum_required(VERSION 3.20)\nproject(x CXX)", "cpp", null },
    };

    [Theory]
    [MemberData(nameof(RootMarkers))]
    public async Task RootMarkerFile_DecidesLanguageAndFramework(string marker, string content, string language, string? framework)
    {
        using var dir = new TempDir();
        dir.Write(marker, content);

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Equal(language, context.Language);
        Assert.Equal(framework, context.Framework);
    }

    [Fact]
    public async Task TsConfigBesidePackageJson_MeansTypeScript()
    {
        using var dir = new TempDir();
        dir.Write("package.json", """{"dependencies":{"react":"18"}}""");
        dir.Write("tsconfig.json", "{}");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Equal(("typescript", "react"), (context.Language, context.Framework));
    }

    [Fact]
    public async Task SolutionAtRoot_TakesFrameworkFromProjectsInSubfolders()
    {
        using var dir = new TempDir();
        dir.Write("App.slnx", "<Solution />");
        dir.Write("src/Api/Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />");
        dir.Write("web/package.json", """{"dependencies":{"react":"18"}}""");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Equal(("csharp", "aspnetcore"), (context.Language, context.Framework));
    }

    [Fact]
    public async Task TestProjectsReferencingAspNetCore_DoNotMakeTheSolutionAWebApp()
    {
        using var dir = new TempDir();
        dir.Write("Lib.slnx", "<Solution />");
        dir.Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        dir.Write("tests/Lib.Tests/Lib.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><FrameworkReference Include=\"Microsoft.AspNetCore.App\" /><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Equal(("csharp", "dotnet"), (context.Language, context.Framework));
    }

    [Fact]
    public async Task RootMarkers_WinOverMoreNumerousSubfolderMarkers()
    {
        using var dir = new TempDir();
        dir.Write("go.mod", "module x");
        dir.Write("a/package.json", "{}");
        dir.Write("b/package.json", "{}");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Equal("go", context.Language);
    }

    [Fact]
    public async Task WithoutRootMarkers_TheMostCommonSubfolderEcosystemWins()
    {
        using var dir = new TempDir();
        dir.Write("svc1/go.mod", "module a");
        dir.Write("svc2/package.json", """{"dependencies":{"express":"4"}}""");
        dir.Write("svc3/package.json", "{}");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Equal(("javascript", "express"), (context.Language, context.Framework));
    }

    [Fact]
    public async Task WithoutRootMarkers_ATie_GoesToTheEarlierEcosystem_AndSecretOrIgnoredMarkersDoNotCount()
    {
        using var dir = new TempDir();
        dir.Write("svc2/package.json", "{}");
        dir.Write("svc1/go.mod", "module a");
        dir.Write("svc3/.aws/package.json", "{}");
        dir.Write("svc4/node_modules/package.json", "{}");
        dir.Write("svc5/App.CSPROJ.bak", "x");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Equal("go", context.Language);
    }

    [Fact]
    public async Task AMarkerExtension_MatchesInAnyCase()
    {
        using var dir = new TempDir();
        dir.Write("src/App.CSPROJ", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        dir.Write("web/package.json", "{}");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Equal("csharp", context.Language);
    }

    [Fact]
    public async Task WithoutMarkers_TheMostCommonProgrammingExtensionWins()
    {
        using var dir = new TempDir();
        dir.Write("a.rb", "");
        dir.Write("b.rb", "");
        dir.Write("c.py", "");
        dir.Write("d.md", "");
        dir.Write("e.md", "");
        dir.Write("f.md", "");

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Equal("ruby", context.Language);
        Assert.Null(context.Framework);
    }

    [Fact]
    public async Task EmptyFolder_HasNoLanguage()
    {
        using var dir = new TempDir();

        var context = await new ProjectScanner().ScanAsync(dir.Path, CancellationToken.None);

        Assert.Null(context.Language);
        Assert.Null(context.Framework);
    }

    [Theory]
    [InlineData("src/a.cs", "csharp")]
    [InlineData("a.tsx", "typescript")]
    [InlineData("a.mjs", "javascript")]
    [InlineData("Dockerfile", "dockerfile")]
    [InlineData("x/CMakeLists.txt", "cmake")]
    [InlineData("a.unknownext", null)]
    [InlineData("LICENSE", null)]
    public void FileLanguage_ComesFromNameOrExtension(string path, string? language)
    {
        Assert.Equal(language, LanguageMap.FromPath(path));
    }
}
