// lockstorm's one way into testcontainers and the container runtime (imports stay in this order).
import './testcontainers-env.ts';
import type Dockerode from 'dockerode';
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';

export { GenericContainer, Wait } from 'testcontainers';

export async function runtime(): Promise<ContainerRuntimeClient> {
  return getContainerRuntimeClient();
}

export async function docker(): Promise<Dockerode> {
  return (await runtime()).container.dockerode;
}

/** Host name or address under which published container ports are reachable. */
export async function publishedHost(): Promise<string> {
  return (await runtime()).info.containerRuntime.host;
}
