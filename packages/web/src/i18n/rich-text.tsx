import { Fragment, type ReactNode } from 'react';

/**
 * A message with elements in it (`The key {name} is shown once`, the name in bold): `template`
 * is the message as `t(key)` returns it without parameters (its placeholders left as written),
 * and each `{placeholder}` becomes the node of the same name, wherever the language puts it.
 */
export function richText(template: string, nodes: Readonly<Record<string, ReactNode>>): ReactNode {
  return template.split(/(\{\w+\})/).map((part, index) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    const node = name === undefined ? undefined : nodes[name];
    return <Fragment key={index}>{node === undefined ? part : node}</Fragment>;
  });
}
