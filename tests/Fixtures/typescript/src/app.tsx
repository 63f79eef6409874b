import { MemoryRepository, normalize } from './repo';

export const App = (props: { id: string }) => {
  const repo = new MemoryRepository();
  return <div>{repo.find(normalize(props.id))}</div>;
};
