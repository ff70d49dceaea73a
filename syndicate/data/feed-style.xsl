<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an RSS 2.0 or Atom 1.0 feed as a readable page when opened in a browser. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <html>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="/rss/channel/title | /atom:feed/atom:title"/> (feed)</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222222; }
          .about { background: #fff8d6; padding: .8rem 1rem; border-radius: 6px; }
          li { margin: .8rem 0; } time { color: #666666; font-size: .9rem; }
          a { color: #1a5fb4; }
        </style>
      </head>
      <body>
        <p class="about">This is a <strong>web feed</strong>. Copy its address into your feed reader to
          follow new posts. Visit <a href="https://aboutfeeds.com/">About Feeds</a> to learn more.</p>
        <xsl:apply-templates select="/rss/channel | /atom:feed"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="channel">
    <h1><xsl:value-of select="title"/></h1>
    <!-- syndicate writes the channel description as escaped HTML text (readers render it as
         HTML): unescaping it once gives that text back, never markup. -->
    <p><xsl:value-of select="description" disable-output-escaping="yes"/></p>
    <p><a href="{link}">Visit the site</a></p>
    <ul>
      <xsl:for-each select="item">
        <li>
          <!-- An untitled item (Hugo and Zola publish untitled posts) is named by its
               address: its description may be HTML, which is never copied in as markup. -->
          <a href="{link}">
            <xsl:choose>
              <xsl:when test="normalize-space(title)"><xsl:value-of select="title"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="link"/></xsl:otherwise>
            </xsl:choose>
          </a><br/>
          <time><xsl:value-of select="pubDate"/></time>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <xsl:template match="atom:feed">
    <h1><xsl:value-of select="atom:title"/></h1>
    <p><xsl:value-of select="atom:subtitle"/></p>
    <p><a href="{atom:link[@rel='alternate']/@href}">Visit the site</a></p>
    <ul>
      <xsl:for-each select="atom:entry">
        <li>
          <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a><br/>
          <time><xsl:value-of select="atom:published"/></time>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>
</xsl:stylesheet>
