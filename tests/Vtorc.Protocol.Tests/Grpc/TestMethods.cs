using Google.Protobuf.Reflection;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

/// <summary>Full method paths of grpctest.TestService.</summary>
public static class TestMethods
{
    public const string Echo = "/grpctest.TestService/Echo";
    public const string Count = "/grpctest.TestService/Count";
    public const string Chat = "/grpctest.TestService/Chat";
    public const string Sum = "/grpctest.TestService/Sum";
    public const string Wait = "/grpctest.TestService/Wait";
    public const string Fail = "/grpctest.TestService/Fail";
    public const string NotImplementedHere = "/grpctest.TestService/NotImplementedHere";

    public static ServiceDescriptor Service => GrpctestReflection.Descriptor.Services.Single(s => s.Name == "TestService");
}
