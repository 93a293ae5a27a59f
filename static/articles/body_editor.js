// The story body's own editor extensions: a pull quote and an embed. Plain
// ES modules on django-prose-editor's editor module (no build step); the
// configurable preset loads this file for the extensions BODY_EXTENSIONS
// names (articles/models/article.py), and articles/body.py says what of
// their markup the sanitiser keeps.

import {
  crel,
  gettext,
  Node,
  updateAttrsDialog,
} from "django-prose-editor/editor"

// A passage of the story set off in large type: <aside class="pull-quote">.
export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "paragraph+",
  defining: true,

  parseHTML() {
    return [{ tag: "aside.pull-quote" }]
  },

  renderHTML() {
    return ["aside", { class: "pull-quote" }, 0]
  },

  addCommands() {
    return {
      togglePullQuote:
        () =>
        ({ commands }) =>
          commands.toggleWrap(this.name),
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "pullQuote",
      groups: "nodes",
      command(editor) {
        editor.chain().focus().togglePullQuote().run()
      },
      button: buttons.material("campaign", gettext("Pull quote")),
      active: (editor) => editor.isActive(this.name),
      enabled: (editor) => editor.can().togglePullQuote(),
    })
  },
})

// The address of a post, video, chart or map a provider's pattern accepts:
// the first in what was pasted, which may be the provider's embed code.
const providerOf = (providers, text) => {
  for (const url of text.match(/https:\/\/[^\s"'<>]+/g) || []) {
    const address = url.replaceAll("&amp;", "&")
    for (const [name, { patterns }] of Object.entries(providers)) {
      if (patterns.some((pattern) => new RegExp(pattern).test(address))) {
        return { provider: name, url: address }
      }
    }
  }
  return null
}

const embedDialog = (providers, title) =>
  updateAttrsDialog(
    {
      url: {
        type: "string",
        title: gettext("Address of the post, video, chart or map"),
        description: Object.values(providers)
          .map(({ label }) => label)
          .join(", "),
        required: true,
      },
    },
    { title, submitText: gettext("Embed") },
  )

// A post, video, chart or map from an allow-listed provider, kept as
// <figure class="embed" data-embed data-url> with a link to the original;
// the editor shows what it is, never the provider's player.
export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,

  addOptions() {
    return { providers: {} }
  },

  addAttributes() {
    return {
      provider: { default: null, parseHTML: (el) => el.dataset.embed },
      url: { default: null, parseHTML: (el) => el.dataset.url },
    }
  },

  parseHTML() {
    return [{ tag: "figure.embed[data-url]" }]
  },

  renderHTML({ node }) {
    const { provider, url } = node.attrs
    return [
      "figure",
      { class: "embed", "data-embed": provider, "data-url": url },
      ["a", { href: url }, url],
    ]
  },

  addNodeView() {
    return ({ node }) => {
      const { label } = this.options.providers[node.attrs.provider] || {}
      const dom = crel("div", { className: "embed-in-editor" }, [
        crel("strong", { textContent: label || gettext("Embed") }),
        crel("span", { textContent: ` ${node.attrs.url}` }),
      ])
      return { dom }
    }
  },

  addCommands() {
    return {
      insertEmbed:
        () =>
        ({ editor }) => {
          const { providers } = this.options
          const ask = (title, attrs) =>
            embedDialog(providers, title)(editor, attrs).then((answer) => {
              if (!answer) return
              const found = providerOf(providers, answer.url)
              if (!found) {
                ask(
                  gettext("Not an address from a provider the newsroom embeds"),
                  answer,
                )
                return
              }
              editor
                .chain()
                .focus()
                .insertContent({ type: this.name, attrs: found })
                .run()
            })
          ask(gettext("Embed a post, video, chart or map"), { url: "" })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      command(editor) {
        editor.chain().focus().insertEmbed().run()
      },
      button: buttons.material(
        "smart_display",
        gettext("Embed a post, video, chart or map"),
      ),
      active: (editor) => editor.isActive(this.name),
    })
  },
})
