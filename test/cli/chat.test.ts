// `npm run chat` as a person would use it, with typed lines on stdin.
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../src/paths.js';

test('starts in the chosen language and shows numbered menus for --channel whatsapp', () => {
  const result = spawnSync('npm', ['run', '--silent', 'chat', '--', '--lang', 'en', '--channel', 'whatsapp'], {
    cwd: projectRoot,
    input: '2\nskip\n',
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('Puente: To show you the centers that can serve you');
  expect(result.stdout).toContain('Puente: How old are you?');
  expect(result.stdout).toContain('\n1. Find a service near me\n');
});

test('with buttons, choices are shown as buttons', () => {
  const result = spawnSync('npm', ['run', '--silent', 'chat'], { cwd: projectRoot, input: 'hola\n', encoding: 'utf8' });
  expect(result.stdout).toContain('Elige tu idioma');
  expect(result.stdout).toContain('[ Kreyòl ayisyen ]');
});
