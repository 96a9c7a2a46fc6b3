import { describe, expect, it } from 'vitest';
import { flaskFactory, topOfModule } from './flask-factory.js';

describe('the top of a Flask factory module', () => {
  it('comes after a docstring, leading comments and __future__ imports, and before every other import', () => {
    const text =
      '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"""Orders.\n\nFactory below."""\nfrom __future__ import annotations\n\nimport os\nfrom flask import Flask\n';
    expect(text.slice(topOfModule(text))).toBe('\nimport os\nfrom flask import Flask\n');
    expect(topOfModule('from flask import Flask\n')).toBe(0);
    expect(topOfModule('"""never closed\n')).toBeUndefined();
  });

  it('names the one top-level function that builds a Flask app', () => {
    expect(
      flaskFactory(
        'from flask import Flask\n\n\ndef create_app(config=None):\n    app = Flask(__name__)\n    return app\n',
      ),
    ).toEqual({ name: 'create_app', insertAt: 0 });
    expect(flaskFactory('from flask import Flask\n\napp = Flask(__name__)\n')).toBeUndefined();
    expect(flaskFactory('def a():\n    return Flask("a")\n\n\ndef b():\n    return Flask("b")\n')).toBeUndefined();
  });
});
