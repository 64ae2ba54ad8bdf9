using Homelab.Tests.Infrastructure;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Kustomize;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Source;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>The pipeline wired as the CLI wires it, but over a <see cref="KubeApi"/> we hold, to read its request counters.</summary>
internal static class PipelineFactory
{
    public static (ReconcilePipeline Pipeline, GitSource Source) Create(string sourceUrl, string state, DcpApiServer server, KubeApi api)
    {
        var options = new ReconcileOptions
        {
            Source = sourceUrl,
            Ref = "main",
            Path = BenchRepository.ClusterPath,
            Kubeconfig = server.Kubeconfig,
            StateDirectory = state,
        };
        var source = new GitSource(
            new GitSourceOptions { Url = sourceUrl, Ref = "main", StateDirectory = Path.Combine(state, "source") },
            NullLogger<GitSource>.Instance);
        var pipeline = new ReconcilePipeline(source, new KustomizeBuilder(BuildLimits.Default), api, options, NullLogger<ReconcilePipeline>.Instance);
        return (pipeline, source);
    }
}
