/**
 * Every service is listed, whatever its language: a polyglot repo with one service per language trace-guide has no
 * recipes for yet (C#/.NET, Ruby, PHP, Rust, Kotlin, Scala, Elixir) beside a Node one. Each is found by its manifest,
 * named from it where the manifest names it, carries the manifest line as evidence, and is marked `noRecipes` with the
 * language's own OpenTelemetry option from the skill's data.
 */
import { describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { formatScan } from '../../src/text/scan-text.js';
import { names, sampleRepos, service } from './util.js';

const repo = sampleRepos();

const POLYGLOT = {
  'web/package.json': '{"name":"web","dependencies":{"express":"^4.19.2"},"scripts":{"start":"node server.js"}}',
  'web/server.js': "const express = require('express');\nexpress().listen(3000);\n",
  'billing/Billing.Api.csproj':
    '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <AssemblyName>billing-api</AssemblyName>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include="Npgsql" Version="8.0.3" />\n  </ItemGroup>\n</Project>\n',
  'billing/Program.cs': 'var app = WebApplication.CreateBuilder(args).Build();\napp.Run();\n',
  'reports/Reports.fsproj': '<Project Sdk="Microsoft.NET.Sdk">\n</Project>\n',
  'reports/Program.fs': 'printfn "hi"\n',
  'store/Gemfile': "source 'https://rubygems.org'\n\ngem 'rails', '~> 7.1'\ngem 'pg'\n",
  'store/app/controllers/orders_controller.rb': 'class OrdersController < ApplicationController; end\n',
  'blog/composer.json':
    '{\n  "name": "acme/blog",\n  "require": {\n    "php": "^8.2",\n    "laravel/framework": "^11.0",\n    "open-telemetry/sdk": "^1.0"\n  }\n}\n',
  'blog/public/index.php': '<?php\nrequire __DIR__."/../vendor/autoload.php";\n',
  'ledger/Cargo.toml':
    '[package]\nname = "ledger"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\ntokio = { version = "1", features = ["full"] }\n',
  'ledger/src/main.rs': 'fn main() {}\n',
  'quotes/build.gradle.kts':
    'plugins {\n  kotlin("jvm") version "2.0.0"\n  id("io.ktor.plugin") version "2.3.12"\n}\ndependencies {\n  implementation("io.ktor:ktor-server-netty:2.3.12")\n}\n',
  'quotes/src/main/kotlin/Application.kt': 'fun main() {}\n',
  'pricing/build.sbt':
    'name := "pricing"\nscalaVersion := "3.3.3"\nlibraryDependencies += "org.apache.pekko" %% "pekko-http" % "1.0.1"\n',
  'pricing/src/main/scala/Main.scala': 'object Main extends App\n',
  'chat/mix.exs':
    'defmodule Chat.MixProject do\n  use Mix.Project\n  def project do\n    [app: :chat, version: "0.1.0", deps: deps()]\n  end\n  defp deps do\n    [{:phoenix, "~> 1.7"}, {:opentelemetry_phoenix, "~> 2.0"}]\n  end\nend\n',
  'chat/lib/chat.ex': 'defmodule Chat do\nend\n',
};

describe('scanRepo: services in languages without recipes are listed', () => {
  it('finds one service per language, each with its name, manifest evidence, findings and what the user can do', async () => {
    const scan = await scanRepo(await repo(POLYGLOT));
    expect(scan.services.map((s) => [s.root, s.language, s.name])).toEqual([
      ['billing', 'dotnet', 'billing-api'],
      ['blog', 'php', 'blog'],
      ['chat', 'elixir', 'chat'],
      ['ledger', 'rust', 'ledger'],
      ['pricing', 'scala', 'pricing'],
      ['quotes', 'kotlin', 'quotes'],
      ['reports', 'dotnet', 'Reports'],
      ['store', 'ruby', 'store'],
      ['web', 'node', 'web'],
    ]);

    const web = service(scan, 'web');
    expect(web.noRecipes).toBeUndefined();

    const billing = service(scan, 'billing');
    expect(billing.manifest).toBe('billing/Billing.Api.csproj');
    expect(billing.noRecipes).toMatchObject({
      evidence: { file: 'billing/Billing.Api.csproj', line: 1, text: '<Project Sdk="Microsoft.NET.Sdk.Web">' },
      label: 'C#/.NET',
      zeroCode: true,
      packages: ['OpenTelemetry.AutoInstrumentation'],
    });
    expect(names(billing.frameworks)).toEqual(['aspnetcore']);
    expect(names(billing.dbClients)).toEqual(['npgsql']);

    const store = service(scan, 'store');
    expect(store.noRecipes?.evidence).toEqual({ file: 'store/Gemfile', line: 3, text: "gem 'rails', '~> 7.1'" });
    expect(store.noRecipes?.packages).toContain('opentelemetry-instrumentation-all');
    expect(store.noRecipes?.zeroCode).toBe(false);
    expect(names(store.frameworks)).toEqual(['rails']);

    const blog = service(scan, 'blog');
    expect(blog.noRecipes?.evidence).toMatchObject({ file: 'blog/composer.json', line: 2 });
    expect(blog.noRecipes?.option).toMatch(/opentelemetry extension/);
    expect(names(blog.frameworks)).toEqual(['laravel']);
    expect(blog.tracing.map((t) => [t.name, t.evidence.line])).toEqual([['opentelemetry', 6]]);

    const ledger = service(scan, 'ledger');
    expect(ledger.noRecipes?.evidence).toEqual({ file: 'ledger/Cargo.toml', line: 2, text: 'name = "ledger"' });
    expect(ledger.noRecipes?.option).toMatch(/no zero-code agent/);
    expect(ledger.noRecipes?.zeroCode).toBe(false);
    expect(names(ledger.frameworks)).toEqual(['axum']);

    const quotes = service(scan, 'quotes');
    expect(quotes.noRecipes).toMatchObject({ evidence: { file: 'quotes/build.gradle.kts', line: 2 }, label: 'Kotlin' });
    expect(quotes.noRecipes?.packages).toEqual(['io.opentelemetry.javaagent:opentelemetry-javaagent']);
    expect(names(quotes.frameworks)).toEqual(['ktor']);

    const pricing = service(scan, 'pricing');
    expect(pricing.noRecipes?.evidence).toMatchObject({ file: 'pricing/build.sbt', line: 1 });
    expect(pricing.noRecipes?.option).toMatch(/Java agent/);
    expect(names(pricing.frameworks)).toEqual(['pekko-http']);

    const chat = service(scan, 'chat');
    expect(chat.noRecipes?.evidence).toMatchObject({ file: 'chat/mix.exs', line: 4 });
    expect(chat.noRecipes?.packages).toContain('opentelemetry_phoenix');
    expect(names(chat.frameworks)).toEqual(['phoenix']);
    expect(names(chat.tracing)).toEqual(['opentelemetry']);
  });

  it('the scan text says which services have no recipes yet and what to do for them', async () => {
    const text = formatScan(await scanRepo(await repo(POLYGLOT)));
    expect(text).toContain('ledger  [ledger]  rust · axum');
    expect(text).toContain(
      '    recipes    none yet: trace-guide has no recipes for Rust (found by ledger/Cargo.toml:2)',
    );
    expect(text).toMatch(
      /instead +OpenTelemetry Rust SDK \(no zero-code agent exists for Rust\): opentelemetry, opentelemetry_sdk/,
    );
    expect(text).toContain('https://opentelemetry.io/docs/zero-code/dotnet/');
    // A service with recipes says nothing of the kind.
    const web = text.slice(text.indexOf('web  [web]'));
    expect(web).not.toContain('recipes');
  });

  it('a JVM build with mostly Kotlin sources is Kotlin; with Java sources beside a few .kt files it stays Java', async () => {
    const scan = await scanRepo(
      await repo({
        'k/pom.xml':
          '<project><artifactId>k</artifactId><build><plugins><plugin><artifactId>kotlin-maven-plugin</artifactId></plugin></plugins></build></project>',
        'k/src/main/kotlin/App.kt': 'fun main() {}\n',
        'j/pom.xml': '<project><artifactId>j</artifactId></project>',
        'j/src/main/java/App.java': 'class App { public static void main(String[] a) {} }\n',
        'j/src/main/java/Util.java': 'class Util {}\n',
        'j/src/main/kotlin/Ext.kt': 'fun x() {}\n',
      }),
    );
    expect(service(scan, 'k').language).toBe('kotlin');
    expect(service(scan, 'k').noRecipes?.evidence).toMatchObject({ file: 'k/pom.xml', line: 1 });
    expect(service(scan, 'j').language).toBe('java');
    expect(service(scan, 'j').noRecipes).toBeUndefined();
  });

  it('manifests without sources of their language are not services (a Cargo workspace root, an umbrella mix.exs)', async () => {
    const scan = await scanRepo(
      await repo({
        'Cargo.toml': '[workspace]\nmembers = ["api"]\n',
        'api/Cargo.toml': '[package]\nname = "api"\n',
        'api/src/main.rs': 'fn main() {}\n',
        'mix.exs': 'defmodule Umbrella.MixProject do\n  def project, do: [apps_path: "apps"]\nend\n',
      }),
    );
    expect(scan.services.map((s) => s.root)).toEqual(['api']);
  });

  it('a composer.json that is not JSON is a scan problem, and the service is still listed', async () => {
    const scan = await scanRepo(await repo({ 'composer.json': '{ "name": ', 'index.php': '<?php echo 1;\n' }));
    expect(scan.problems).toEqual([{ file: 'composer.json', message: expect.stringContaining('not valid JSON') }]);
    expect(service(scan).language).toBe('php');
    expect(service(scan).noRecipes?.evidence).toMatchObject({ file: 'composer.json', line: 0 });
  });
});
